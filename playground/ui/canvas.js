// The drawing canvas (a Streamlit components-v2 component; playground/ui/canvas.py mounts it).
// Pointer events (mouse, pen, touch) draw round strokes; the moment the pen lifts, the drawing goes to Python as a
// PNG data URL with its stroke count. Undo redraws the strokes but the last. The strokes live as long as the
// mounted element (reruns keep them; a new key, as Clear makes, starts blank).
const boards = new WeakMap();

function paint(board) {
  const { ctx, side, strokes, data } = board;
  ctx.fillStyle = data.paper;
  ctx.fillRect(0, 0, side, side);
  for (const stroke of strokes) {
    ctx.strokeStyle = ctx.fillStyle = data.ink;
    ctx.lineWidth = stroke.width;
    ctx.lineCap = ctx.lineJoin = "round";
    if (stroke.points.length === 1) {  // a tap: a dot as wide as the pen
      const [x, y] = stroke.points[0];
      ctx.beginPath();
      ctx.arc(x, y, stroke.width / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(...stroke.points[0]);
    for (const point of stroke.points.slice(1)) ctx.lineTo(...point);
    ctx.stroke();
  }
}

function send(board) {
  const drawing = board.strokes.length ? board.canvas.toDataURL("image/png") : null;
  board.setStateValue("drawing", { data: drawing, strokes: board.strokes.length });
}

function create(root) {
  const canvas = document.createElement("canvas");
  const undo = document.createElement("button");
  undo.type = "button";
  undo.textContent = "↶ Undo";
  undo.className = "pg-undo";
  root.append(canvas, undo);
  const board = { canvas, undo, ctx: canvas.getContext("2d"), strokes: [], current: null, side: 0 };
  const at = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * board.side / box.width, (event.clientY - box.top) * board.side / box.height];
  };
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    board.current = { width: board.data.pen, points: [at(event)] };
    board.strokes.push(board.current);
    paint(board);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!board.current) return;
    for (const e of event.getCoalescedEvents ? event.getCoalescedEvents() : [event]) board.current.points.push(at(e));
    paint(board);
  });
  const lift = () => {
    if (!board.current) return;
    board.current = null;
    send(board);
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  undo.addEventListener("click", () => {
    if (!board.strokes.length) return;
    board.strokes.pop();
    paint(board);
    send(board);
  });
  return board;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".pg-canvas");
  let board = boards.get(parentElement);
  if (!board) {
    board = create(root);
    boards.set(parentElement, board);
  }
  board.data = data;
  board.setStateValue = setStateValue;
  if (board.side !== data.side) {  // presenter mode changed the size: the strokes scale with it
    const scale = board.side ? data.side / board.side : 1;
    for (const stroke of board.strokes) {
      stroke.width *= scale;
      stroke.points = stroke.points.map(([x, y]) => [x * scale, y * scale]);
    }
    board.side = data.side;
    board.canvas.width = board.canvas.height = data.side;
    board.canvas.style.width = board.canvas.style.height = `${data.side}px`;
  }
  paint(board);
}
