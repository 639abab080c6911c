"""parley.review.widgets without a browser: the widget carries the session's state and its actions."""

from __future__ import annotations

from review_support import SOURCE_ID

from parley.review.widgets import ReviewWidget, check_dossier, open_review


def test_actions_from_the_browser_reach_the_session_and_the_state_follows(review_dossier):
    widget = open_review(review_dossier.folder, SOURCE_ID, coder="w")
    assert isinstance(widget, ReviewWidget)
    first = widget.state["card"]["id"]
    widget._on_action(widget, {"do": "go", "to": "next", "seq": 1}, [])
    assert widget.state["ack"] == 1 and widget.state["card"]["id"] != first
    widget._on_action(widget, {"do": "speaker", "actor": "nobody", "seq": 2}, [])
    assert widget.state["message"] == {"level": "error", "text": "speaker 'nobody' is not an actor of the dossier; choose one from the list or add a new one"}
    widget._on_action(widget, "not an action", [])
    assert widget.state["ack"] == 2


def test_the_plain_text_is_the_summary_and_the_view_is_the_es_module(review_dossier):
    widget = open_review(review_dossier.folder, SOURCE_ID)
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == repr(widget) == widget.session.summary()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
    assert "export default { render }" in widget._esm and ".parley-review" in widget._css


def test_check_dossier_is_the_validator(review_dossier):
    shown = check_dossier(review_dossier.folder)
    assert repr(shown) == "tiny: valid (schema, keys, provenance and meaning checked)"
    (review_dossier.folder / "issues.csv").write_text("issue_id\n", encoding="utf-8")
    broken = check_dossier(review_dossier.folder)
    assert repr(broken).startswith("tiny: ") and "problem(s)" in repr(broken) and "issues.csv" in repr(broken)
    assert "<li>" in broken._repr_html_()
