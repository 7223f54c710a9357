"""Bad input through the Build & train page: every one gets a clear message, no traceback, and nothing is lost."""

import json

import pytest

from tests.helpers import open_page

GOOD = {"network": {"layers": [{"kind": "Flatten"}, {"kind": "Dense", "units": 10, "activation": "softmax"}]},
        "config": {}}


def spec(layers=None, **config) -> str:
    return json.dumps({"network": {"layers": layers if layers is not None else GOOD["network"]["layers"]},
                       "config": config})


# (query parameters, words the message must contain)
URL_CORPUS = [
    ({"spec": "{oops"}, "not valid JSON"),
    ({"spec": "null"}, "JSON object"),
    ({"spec": '"a string"'}, "JSON object"),
    ({"spec": spec([{"kind": "Transformer"}])}, "unknown layer 'Transformer'"),
    ({"spec": spec([{"kind": "Dense", "units": -5}])}, "units must be between 1 and 4096"),
    ({"spec": spec([{"kind": "Dense", "units": 1e12}])}, "units must be between 1 and 4096"),
    ({"spec": spec([{"kind": "Conv2D", "kernel_size": "big"}])}, "kernel_size must be a whole number"),
    ({"spec": spec([{"kind": "Dropout", "rate": 1.5}])}, "rate must be between 0 and 0.95"),
    ({"spec": spec(learning_rate=0)}, "learning_rate must be between"),
    ({"spec": spec(learning_rate=1e9)}, "learning_rate must be between"),
    ({"spec": spec(epochs=10000)}, "epochs must be between 1 and 100"),
    ({"spec": spec(batch_size=0)}, "batch_size must be between"),
    ({"spec": spec(optimizer="sgd!")}, "Unknown optimizer"),
    ({"spec": spec(dataset="cifar")}, "Unknown dataset"),
    ({"preset": "resnet"}, "Unknown preset"),
    # Crafted links (issue 17): each once broke the page for everyone it was sent to.
    ({"spec": spec([{"kind": "Dense", "units": float("nan")}])}, "units must be between 1 and 4096, got NaN"),
    ({"spec": spec([{"kind": "Dense", "units": float("inf")}])}, "units must be between 1 and 4096, got Infinity"),
    ({"spec": spec(epochs=float("nan"))}, "epochs must be between 1 and 100, got NaN"),
    ({"spec": spec().replace('"config": {}', '"config": {"seed": 1e400}')}, "seed must be between 0 and 2147483647"),
    ({"spec": '{"network": {"layers": ' + "[" * 5000 + "]" * 5000 + "}}"}, "nested too deeply"),
    ({"spec": spec([{"kind": "Flatten"}] * 3300)}, "3,300 layers; the playground trains at most 40"),
]


@pytest.mark.parametrize("query, words", URL_CORPUS, ids=[words for _, words in URL_CORPUS])
def test_a_bad_link_gets_a_message_and_the_page_still_works(query, words):
    at = open_page("build_train", query)
    assert not at.exception
    assert any(words in error.value for error in at.error), [e.value for e in at.error]
    assert at.dataframe[0].value["layer"].iloc[-1] == "6. Dense(10, softmax)"  # the default network, usable
    assert not at.button(key="build_train").disabled


@pytest.mark.parametrize("query, words", URL_CORPUS[-6:], ids=[words for _, words in URL_CORPUS[-6:]])
def test_a_crafted_spec_pasted_into_load_this_spec_gets_a_message(query, words):
    at = open_page("build_train")
    at.text_area(key="build_pasted_spec").input(query["spec"]).run()
    at.button(key="build_load_spec").click().run()
    assert not at.exception
    assert any(words in error.value for error in at.error), [e.value for e in at.error]
    assert at.dataframe[0].value["layer"].iloc[-1] == "6. Dense(10, softmax)"  # nothing lost
    assert not at.button(key="build_train").disabled


# Stacks that parse but cannot train: the page names the problem and keeps Train disabled.
STACK_CORPUS = [
    (spec([]), "The network is empty"),
    (spec([{"kind": "Dense", "units": 10, "activation": "softmax"}]), "Add a Flatten layer before it"),
    (spec([{"kind": "Flatten"}, {"kind": "Dense", "units": 3, "activation": "softmax"}]), "Set its units to 10"),
    (spec([{"kind": "Flatten"}] + [{"kind": "Dense", "units": 4096}] * 3 +
          [{"kind": "Dense", "units": 10, "activation": "softmax"}]), "more than this server trains"),
    (spec([{"kind": "Conv2D", "filters": 512, "padding": "same"}, {"kind": "Flatten"},
           {"kind": "Dense", "units": 10, "activation": "softmax"}], batch_size=4096), "smaller batch size"),
    (spec(batch_size=900, train_samples=100), "larger than the training set"),
    (spec([{"kind": "Conv2D"}, {"kind": "Flatten"}, {"kind": "Dense", "units": 10, "activation": "softmax"}],
          dataset="random"), "needs an image"),
    (spec(train_samples=60000), "has 55,000 samples. Use at most 55,000"),
]


@pytest.mark.parametrize("text, words", STACK_CORPUS, ids=[words for _, words in STACK_CORPUS])
def test_a_stack_that_cannot_train_is_explained(text, words):
    at = open_page("build_train", {"spec": text})
    assert not at.exception
    assert any(words in error.value for error in at.error), [e.value for e in at.error]
    assert at.button(key="build_train").disabled
