"""The model overview: GAN Lab's graph of one iteration (latent points -> generator -> fake samples
-> discriminator <- real samples; its two losses; the two updates), as Graphviz DOT for
st.graphviz_chart, with the latest check-in's numbers on its edges and, in slow motion, the
stage being shown highlighted."""
from __future__ import annotations

from .charts.style import D_COLOR, FAKE, GREY, REAL, SERIES_COLORS

# each part of the graph: (label, what it does)
PARTS = {
    "z": ("latent points z", "Random numbers (latent_dim of them per sample), Gaussian or uniform: the generator's "
                             "only input."),
    "G": ("Generator G", "A network that maps each latent point to a sample. It never sees real data: it learns "
                         "only from the discriminator's verdicts."),
    "fake": ("fake samples G(z)", "What the generator makes; the discriminator sees them labelled fake."),
    "real": ("real samples", "Drawn from the real data; the discriminator sees them labelled real."),
    "D": ("Discriminator D", "A network that scores each sample: its probability of being real (or a score, for "
                             "least squares, hinge and Wasserstein losses)."),
    "d_loss": ("D's loss", "How wrong the discriminator is: real samples called fake, fakes called real."),
    "g_loss": ("G's loss", "How easily the discriminator spots the generator's fakes: low when they pass as real."),
    "update_d": ("update D", "A gradient step on D's weights that lowers D's loss (its optimizer only)."),
    "update_g": ("update G", "A gradient step on G's weights through the unchanged D: fakes move where D says "
                             "more real (the arrows)."),
}
# the parts each slow-motion stage works with
STAGE_PARTS = {
    "start": (),
    "d_real": ("real", "D", "d_loss", "update_d"),
    "d_fake": ("z", "G", "fake", "D", "d_loss", "update_d"),
    "d": ("real", "z", "G", "fake", "D", "d_loss", "update_d"),
    "critic": ("real", "z", "G", "fake", "D", "d_loss", "update_d"),
    "g": ("z", "G", "fake", "D", "g_loss", "update_g"),
}
D_LOSS, G_LOSS = SERIES_COLORS["d_loss"], SERIES_COLORS["g_loss"]  # as the loss charts draw them
COLORS = {"z": GREY, "G": FAKE, "fake": FAKE, "real": REAL, "D": D_COLOR, "d_loss": D_LOSS, "g_loss": G_LOSS,
          "update_d": D_LOSS, "update_g": G_LOSS}


def dot(latest: dict | None = None, stage: str | None = None) -> str:
    """The graph; `latest`: a check-in's row (acc_real, acc_fake, d_loss, g_loss) for its edges;
    `stage`: a slow-motion stage whose parts are drawn bold and the rest faded."""
    lit = set(STAGE_PARTS.get(stage, ())) if stage else set(PARTS)
    row = latest or {}

    def number(name, fmt=".2f"):
        value = row.get(name)
        return "" if value is None or value != value else f"{name} {value:{fmt}}"

    def node(name, shape):
        label, _ = PARTS[name]
        on = name in lit
        style = f'style="filled,bold", fillcolor="{COLORS[name]}22", penwidth=2.5' if on else (
            'style="filled", fillcolor="#f4f4f4", fontcolor="#999999", color="#cccccc"')
        return f'  {name} [label="{label}", shape={shape}, color="{COLORS[name]}", {style}];'

    def edge(a, b, label="", dashed=False):
        on = a in lit and b in lit
        attrs = [f'label="{label}"'] if label else []
        attrs += ["penwidth=2"] if on else ['color="#cccccc"', 'fontcolor="#999999"']
        attrs += ["style=dashed"] if dashed else []
        return f"  {a} -> {b} [{', '.join(attrs)}];"

    lines = ["digraph iteration {", '  rankdir=LR; bgcolor="transparent"; node [fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=10];',
             node("z", "ellipse"), node("G", "box"), node("fake", "ellipse"), node("real", "ellipse"),
             node("D", "box"), node("d_loss", "diamond"), node("g_loss", "diamond"),
             node("update_d", "box"), node("update_g", "box"),
             "  { rank=same; real; fake; }",
             edge("z", "G"), edge("G", "fake"), edge("fake", "D", number("acc_fake")),
             edge("real", "D", number("acc_real")), edge("D", "d_loss", number("d_loss", ".3f")),
             edge("D", "g_loss", number("g_loss", ".3f")), edge("d_loss", "update_d"),
             edge("g_loss", "update_g"), edge("update_d", "D", dashed=True), edge("update_g", "G", dashed=True), "}"]
    return "\n".join(lines)


def explanations() -> str:
    """What each part does, as Markdown for the graph's expander."""
    return "\n".join(f"- **{label}**: {text}" for label, text in PARTS.values())
