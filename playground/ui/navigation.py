"""The app's pages in one table: the sidebar navigation and the home page's cards are both made from it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageInfo:
    """One page: its script under app_pages/, its menu section, title, icon and a one-line promise."""

    script: str
    section: str
    title: str
    icon: str
    promise: str

    @property
    def path(self) -> str:
        return f"app_pages/{self.script}"

    @property
    def url(self) -> str:
        """The page's URL path (Streamlit derives it from the file name)."""
        return self.script.removesuffix(".py")


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home.py", "Start", "Home", ":material/home:", "What this playground is and where to start."),
    PageInfo("lecture.py", "Start", "Lecture", ":material/school:", "The lecture's demos in order, one click each."),
    PageInfo("neuron.py", "Concepts", "A neuron", ":material/hub:",
             "Multiply, add, activate: one neuron with sliders, and why networks need activations."),
    PageInfo("probabilities.py", "Concepts", "Labels and probabilities", ":material/percent:",
             "One-hot labels, softmax probabilities, the cross-entropy loss and accuracy."),
    PageInfo("gradient_descent.py", "Concepts", "Gradient descent", ":material/trending_down:",
             "Walk down a curve step by step: too small a learning rate crawls, too large diverges."),
    PageInfo("convolution.py", "Concepts", "Convolution and pooling", ":material/grid_on:",
             "Slide a kernel over a digit, see the feature map, ReLU and max pooling, and a CNN's filters."),
    PageInfo("build_train.py", "Train", "Build & train", ":material/build:",
             "Stack layers, train on real MNIST, watch the curves move every epoch."),
    PageInfo("boundaries.py", "Train", "Decision boundaries", ":material/scatter_plot:",
             "Spirals, XOR, circles: press Play and watch the boundary form, neuron by neuron."),
    PageInfo("draw.py", "Train", "Draw a digit", ":material/draw:",
             "Draw a digit and watch an MLP and a CNN read it; see what the CNN's filters see."),
    PageInfo("optimizers.py", "Train", "Optimizers & loss surfaces", ":material/landscape:",
             "Race SGD, momentum, Adam and friends over saddles, valleys and local minima."),
    PageInfo("landscape.py", "Train", "Loss landscape", ":material/terrain:",
             "Slice the loss of the network you trained and see the path training took through it."),
    PageInfo("gan.py", "Train", "GAN: digits that never existed", ":material/auto_awesome:",
             "Sample digits nobody wrote, morph one into another, train a GAN live, play real or fake."),
    PageInfo("sequences.py", "Train", "Sequences: RNN, LSTM, GRU", ":material/timeline:",
             "See an LSTM's gates at work, watch plain RNNs forget, forecast CO₂, read a digit row by row."),
    PageInfo("reuse.py", "Train", "Reuse: transfer learning", ":material/recycling:",
             "Reuse the digit CNN on clothes with 1 to 500 examples, teach it your own symbols, adapt it to you."),
    PageInfo("shrink.py", "Train", "Shrink: quantize and prune", ":material/compress:",
             "Make a network 3× smaller with int8 or prune 80% of its weights: sizes, accuracy and speed."),
)


def navigation() -> st.navigation:
    """st.navigation over PAGES, grouped by section, with Home as the default page."""
    sections: dict[str, list] = {}
    for info in PAGES:
        sections.setdefault(info.section, []).append(
            st.Page(info.path, title=info.title, icon=info.icon, default=info.script == "home.py"))
    return st.navigation(sections)
