"""The lecture: its demos in order, each a link that opens the right page with the right preset."""

from dataclasses import dataclass, field

import streamlit as st

from playground.ui.links import link_to_page, page_url
from playground.ui.presenter import KEY as PRESENTER_KEY
from playground.ui.presenter import presenter_mode
from playground.ui.state import keys

K = keys("lecture")


@dataclass(frozen=True)
class Demo:
    """One stop of the lecture: the page and URL state that show it, and what to say while it runs."""

    title: str
    script: str
    say: str
    query: dict[str, str] = field(default_factory=dict)


DEMOS = (
    Demo("A neuron", "neuron.py",
         "Move one weight and watch the sum, then the output, change: a neuron is a weighted sum and an activation. "
         "Switch to the binary step, then to ReLU, and show where the sum lands on the curve."),
    Demo("XOR without a hidden layer", "boundaries.py",
         "Press Play: the loss stalls near 50% accuracy. A network without a hidden layer is one weighted sum, so "
         "its boundary is a straight line, and no straight line separates XOR.", {"preset": "xor-linear"}),
    Demo("XOR with a hidden layer", "boundaries.py",
         "Four ReLU neurons: each tile is one straight line; the output adds them into the two opposite quadrants. "
         "Click a tile to show one neuron large.", {"preset": "xor"}),
    Demo("The spiral needs depth", "boundaries.py",
         "Only x1 and x2 as inputs: three ReLU layers unroll the two arms by themselves. Watch the tiles go from "
         "lines in the first layer to wedges and bands in the last.", {"preset": "spiral"}),
    Demo("The spiral with sin features", "boundaries.py",
         "Add sin(x1) and sin(x2): one small layer now solves it in a few dozen epochs. Good features are worth "
         "many layers.", {"preset": "spiral-sin"}),
    Demo("Hello world on random data", "build_train.py",
         "Random pixels, random labels. Press Train: training accuracy climbs towards 100% while validation stays "
         "at 10%. The network memorized noise; it learned nothing that generalizes.", {"preset": "random"}),
    Demo("Overfitting on noisy points", "boundaries.py",
         "Noisy points, 10% of them to train on, a big network: the boundary wraps around single training points, "
         "the training loss falls to zero and the test loss climbs.", {"preset": "overfit"}),
    Demo("L2 regularization cures it", "boundaries.py",
         "The same data and network with an L2 penalty on the weights: a smooth boundary, and the test loss stays "
         "near the training loss.", {"preset": "overfit-l2"}),
    Demo("MLP on MNIST", "build_train.py",
         "Real digits, 784-128-64-10 with dropout. Training and validation curves now rise together: this network "
         "learns something that works on images it has never seen.", {"preset": "mlp"}),
    Demo("CNN on MNIST", "build_train.py",
         "Convolutions and pooling find strokes wherever they are. Compare the parameter count and the validation "
         "accuracy with the MLP.", {"preset": "cnn"}),
    Demo("Draw digits", "draw.py",
         "Ask someone for a digit, draw it, watch the ten probabilities. Then draw something that is not a digit: "
         "the network still answers, because softmax always adds up to 100%."),
    Demo("Optimizers on a saddle point", "optimizers.py",
         "With exact gradients, SGD slides into the saddle, where the slope is zero, and stays there. The same SGD "
         "with noisy gradients, as with mini-batches, is pushed off and rolls into a valley.", {"preset": "saddle"}),
    Demo("The LSTM neuron and its gates", "sequences.py",
         "A plain network has no memory. Type 1, 0, 0, 0… and watch the LSTM's cell state keep the 1 while the "
         "SimpleRNN's output fades; then close the forget gate (b_f below 0) and the LSTM forgets too."),
    Demo("Why plain RNNs forget", "sequences.py",
         "Measured gradients of the last output with respect to earlier inputs fall exponentially with distance. "
         "Press Train both: the SimpleRNN never learns to recall the first value, the LSTM does.",
         {"seq_tab": "Why plain RNNs forget"}),
    Demo("Forecast CO₂ with an LSTM", "sequences.py",
         "Train an LSTM and a Dense network on windows of the Mauna Loa record and compare them with 'same as last "
         "month' on the years they never saw; then let them forecast four years ahead on their own.",
         {"seq_tab": "Forecast a series", "preset": "co2"}),
    Demo("A GAN", "gan.py",
         "A generator that never saw a digit learns to draw them by fooling a discriminator. Sample a few, then "
         "walk between two of them in the latent space."),
    Demo("The same CNN on clothes", "build_train.py",
         "The LeNet-style CNN, unchanged, on Fashion-MNIST: about 91% instead of 99%. The network is the same; "
         "the task is harder (shirts, T-shirts, pullovers and coats look alike).", {"preset": "fashion-cnn"}),
    Demo("Transfer learning, measured", "reuse.py",
         "Cut the digit CNN after its convolutions and train a new head on 1, 10 and 50 clothes per class: from "
         "scratch, on frozen features, fine-tuned. Watch where the curves are far apart and where they meet.",
         {"preset": "quick"}),
    Demo("Teach it new symbols", "reuse.py",
         "Name three symbols (✓, ✗, ○), draw five of each, press Train: a new head on the frozen digit features "
         "learns them in seconds. Then let someone draw one.", {"reuse_tab": "Teach it new symbols"}),
    Demo("Quantize to int8", "shrink.py",
         "One call, model.quantize(\"int8\"): the CNN's file shrinks to about a third and its test accuracy moves "
         "by a few hundredths of a point. The weight histograms show why.", {"preset": "int8"}),
    Demo("Prune 80% of the weights", "shrink.py",
         "Zero the 80% smallest weights: accuracy drops, then a short fine-tune that keeps them at zero brings it "
         "back, and the zipped file shrinks by three quarters.", {"preset": "prune-80"}),
)

st.title("The lecture")
st.caption("The demos in the order of the lecture. Each link opens the page with its settings in the URL: "
           "bookmark it or send it to the audience.")
if not presenter_mode():
    st.button("Turn on presenter mode", icon=":material/slideshow:", key=K("start_presenting"),
              on_click=lambda: st.session_state.update({PRESENTER_KEY: True}),
              help="Bigger text and charts, fewer controls, for a projector. The switch is also in the sidebar.")

for number, demo in enumerate(DEMOS, start=1):
    with st.container(border=True):
        text, link = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"#### {number}. {demo.title}")
        text.markdown(demo.say)
        with link:
            if not link_to_page(demo.script, "Open", demo.query, icon=":material/play_circle:"):
                st.caption("This page is not in the menu yet.")
            st.caption(f"`{page_url(demo.script, demo.query)}`")
