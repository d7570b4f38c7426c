"""The models the toolkit ships in `congdoan/text/models/`, named once.

Code that needs one asks for it here (`classifier_dir(SENTIMENT)`), never by scanning the
folder. A classifier's folder is named after its data set and its task: `uit_vsfc_sentiment`
and `uit_vsfc_topic` were trained on UIT-VSFC (students' feedback on their courses), and
`vihsd_toxicity` on ViHSD (social-media comments); the workers' concerns have their own
models in the feedback app.
"""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent / "models"
LM_FILE = "syllable_lm.npz"  # the syllable trigram language model of the restorer
SYLLABLES_FILE = MODELS_DIR / "syllables.tsv.gz"
WORDS_FILE = MODELS_DIR / "words.txt.gz"

# The shipped classifiers (a folder each under MODELS_DIR).
SENTIMENT = "uit_vsfc_sentiment"  # negative / neutral / positive
TOPIC = "uit_vsfc_topic"  # lecturer / training_program / facility / others
TOXICITY = "vihsd_toxicity"  # clean / offensive / hate
CLASSIFIERS = (SENTIMENT, TOPIC, TOXICITY)
# Relevance to workers, labour and the union (relevant / other): built apart, by
# `python -m congdoan_dev.textbuild.relevance` (news labelled by article, comments, concerns).
RELEVANCE = "labour_relevance"
# The public data set each one is trained and evaluated on (congdoan.text.datasets).
DATASET = {SENTIMENT: "uit_vsfc", TOPIC: "uit_vsfc", TOXICITY: "vihsd"}
# What each one tells (the short name `congdoan nlp eval --only` and the figures use).
TASK = {SENTIMENT: "sentiment", TOPIC: "topic", TOXICITY: "toxicity"}

# Their names before issue 13, still understood where a person types one
# (`congdoan nlp train-head --dataset feedback_sentiment` in a script or a note).
FORMER_NAMES = {"feedback_sentiment": SENTIMENT, "feedback_topic": TOPIC, "toxicity": TOXICITY}


def classifier_name(name: str) -> str:
    """The current name of a shipped classifier given by its current or former name."""
    return FORMER_NAMES.get(name, name)


def classifier_dir(name: str, models_dir: Path | None = None) -> Path:
    """The folder of shipped classifier `name` (in `models_dir` when given: a trial build)."""
    return (models_dir or MODELS_DIR) / classifier_name(name)
