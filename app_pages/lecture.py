"""The lecture: its demos in order, each a link that opens the right page with the right preset."""

from dataclasses import dataclass, field

import streamlit as st

from playground.ui.links import link_to_page, page_url
from playground.ui.presenter import KEY as PRESENTER_KEY
from playground.ui.presenter import presenter_mode


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
    Demo("Hello world on random data", "build_train.py",
         "Random pixels, random labels. Press Train: training accuracy climbs towards 100% while validation stays "
         "at 10%. The network memorized noise; it learned nothing that generalizes.", {"preset": "random"}),
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
    Demo("A GAN", "gan.py",
         "A generator that never saw a digit learns to draw them by fooling a discriminator. Sample a few, then "
         "walk between two of them in the latent space."),
)

st.title("The lecture")
st.caption("The demos in the order of the lecture. Each link opens the page with its settings in the URL: "
           "bookmark it or send it to the audience.")
if not presenter_mode():
    st.button("Turn on presenter mode", icon=":material/slideshow:", key="start_presenting",
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
