"""Loss surfaces: NumPy and TensorFlow agree, and every marked critical point has zero gradient and the right kind."""

import numpy as np
import pytest

from playground.optim.surfaces import SURFACES, classify, critical_points, derivatives, evaluate_grid, minima


def numeric_gradient(surface, x, y, h=1e-6):
    """Central differences of the NumPy formula: an independent check of TensorFlow's autodiff."""
    return np.array([(surface.value(x + h, y) - surface.value(x - h, y)) / (2 * h),
                     (surface.value(x, y + h) - surface.value(x, y - h)) / (2 * h)])


@pytest.mark.parametrize("name", list(SURFACES))
def test_numpy_and_tensorflow_formulas_agree(name):
    surface = SURFACES[name]
    x_min, x_max, y_min, y_max = surface.region
    rng = np.random.default_rng(0)
    points = np.column_stack([rng.uniform(x_min, x_max, 20), rng.uniform(y_min, y_max, 20)])
    loss, gradient, _ = derivatives(surface, points)
    np.testing.assert_allclose(loss, surface.value(points[:, 0], points[:, 1]), rtol=1e-12, atol=1e-12)
    numeric = np.array([numeric_gradient(surface, x, y) for x, y in points])
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-4 * (1 + np.abs(numeric).max()))


@pytest.mark.parametrize("name", list(SURFACES))
def test_critical_points_have_zero_gradient_and_their_hessian_signature(name):
    surface = SURFACES[name]
    found = critical_points(name)
    assert found, f"{name}: no critical point found"
    points = np.array([[p.x, p.y] for p in found])
    _, gradient, hessian = derivatives(surface, points)
    scale = max(1.0, float(np.abs(hessian).max()))
    assert np.abs(gradient).max() < 1e-6 * scale
    for point, h in zip(found, hessian):
        eigenvalues = np.linalg.eigvalsh(h)
        expected = {"minimum": (1, 1), "maximum": (-1, -1), "saddle": (-1, 1)}[point.kind]
        assert tuple(np.sign(eigenvalues).astype(int)) == expected, point
        assert surface.contains(point.x, point.y)
    assert len({(round(p.x, 4), round(p.y, 4)) for p in found}) == len(found), "duplicates"
    lows = minima(name)
    if lows:
        assert min(p.value for p in lows) == pytest.approx(min(p.value for p in lows if p.is_global))
        assert all(p.label for p in found)


def test_known_critical_points_are_found():
    himmelblau = critical_points("himmelblau")
    kinds = [p.kind for p in himmelblau]
    assert kinds.count("minimum") == 4 and kinds.count("saddle") == 4 and kinds.count("maximum") == 1
    assert all(p.is_global and p.value == pytest.approx(0, abs=1e-9) for p in minima("himmelblau"))
    assert any(abs(p.x - 3) < 1e-6 and abs(p.y - 2) < 1e-6 for p in minima("himmelblau"))
    (rosenbrock,) = minima("rosenbrock")
    assert (rosenbrock.x, rosenbrock.y) == pytest.approx((1, 1), abs=1e-6)
    beale = [p for p in minima("beale") if p.is_global]
    assert [(p.x, p.y) for p in beale] == [pytest.approx((3, 0.5), abs=1e-6)]
    (saddle,) = critical_points("saddle")
    assert saddle.kind == "saddle" and (saddle.x, saddle.y) == pytest.approx((0, 0), abs=1e-9)
    rastrigin = minima("rastrigin")
    assert len(rastrigin) == 121 and [p.label for p in rastrigin if p.is_global] == ["global minimum"]
    assert (rastrigin[0].x, rastrigin[0].y) == pytest.approx((0, 0), abs=1e-9)
    local = critical_points("local-minima")
    assert [p.kind for p in local].count("minimum") == 4 and sum(p.is_global for p in local) == 1


def test_classify_reads_the_signs_of_the_eigenvalues():
    assert classify([1.0, 3.0]) == "minimum"
    assert classify([-1.0, -3.0]) == "maximum"
    assert classify([-1.0, 3.0]) == "saddle"
    assert classify([0.0, 3.0]) is None


def test_grid_holds_the_loss_at_its_coordinates():
    surface = SURFACES["beale"]
    grid = evaluate_grid(surface, 200)
    assert grid.z.shape == (200, 200)
    assert grid.z[17, 150] == pytest.approx(surface.value(grid.x[150], grid.y[17]))
    assert (grid.x[0], grid.x[-1], grid.y[0], grid.y[-1]) == surface.region
