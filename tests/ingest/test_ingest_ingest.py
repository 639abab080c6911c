"""parley.review.intake and candidates: seeds, sources, the review queue, and bad input."""

from __future__ import annotations

import hashlib

import pytest
from ingest_support import article

from parley.errors import DossierInvalid, IngestError
from parley.review.queue import FIELDS, candidate_id, candidates_bytes, candidates_path, read_candidates
from parley.review.intake import ingest_article

WIRE = article("wire_geneva.txt")


def test_ingest_copies_the_seed_registers_the_source_and_queues_pending_proposals(dossier):
    before_statements = dossier.table("statements").read_bytes()
    result = ingest_article(WIRE, "tiny", outlet="Wire Service", published="2031-02-20")
    data = WIRE.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert result.new_source and result.source_id == "wire_service_2031_02_20"
    assert result.seed_file == f"001_{sha[:16]}.txt"
    assert (dossier.seeds / result.seed_file).read_bytes() == data  # byte for byte
    source = next(r for r in dossier.rows("sources") if r["source_id"] == result.source_id)
    assert (source["sha256"], source["outlet"], source["published"], source["author"], source["url"]) == (sha, "Wire Service", "2031-02-20", "", "")
    assert source["title"] == "SYNTHETIC TEST ARTICLE: written for Parley's tests; not real reporting."
    queue = read_candidates(dossier.folder)
    assert queue and all(row["status"] == "pending" for row in queue)
    assert tuple(queue[0]) == FIELDS
    text = data.decode("utf-8")
    for row in queue:
        assert text[int(row["char_start"]) : int(row["char_end"])] == row["text"]
    # short ids to type: seed 001's proposals in text order
    assert [row["candidate_id"] for row in queue] == [f"c1-{n}" for n in range(1, len(queue) + 1)]
    assert any(row["speaker_id"] == "lavrov" for row in queue)
    assert any(row["new_actor"] == "Hanna Kovalenko" for row in queue)
    assert dossier.table("statements").read_bytes() == before_statements  # nothing curated without review


def test_ingesting_again_proposes_nothing_twice(dossier):
    first = ingest_article(WIRE, "tiny")
    again = ingest_article(WIRE, "tiny")
    assert not again.new_source and again.source_id == first.source_id
    assert again.proposed == [] and again.skipped == len(first.proposed)
    assert len(read_candidates(dossier.folder)) == len(first.proposed)


def test_a_proposal_already_coded_as_a_statement_is_not_proposed(dossier):
    seed = dossier.seeds / next(p.name for p in dossier.seeds.iterdir())
    result = ingest_article(seed, "tiny")
    assert not result.new_source and result.source_id == "tiny_seed"
    assert [row["text"] for row in result.proposed if row["kind"] == "direct_quote"] == []  # "useful" is statement s01
    assert result.skipped == 1


def test_seeds_are_never_overwritten(dossier):
    data = WIRE.read_bytes()
    squatter = dossier.seeds / f"001_{hashlib.sha256(data).hexdigest()[:16]}.txt"
    squatter.write_bytes(b"something else")
    before = dossier.snapshot()
    with pytest.raises(IngestError, match="seeds are never overwritten"):
        ingest_article(WIRE, "tiny")
    assert dossier.snapshot() == before


def test_an_identical_unregistered_seed_is_reused_not_copied_again(dossier):
    data = WIRE.read_bytes()
    leftover = dossier.seeds / f"007_{hashlib.sha256(data).hexdigest()[:16]}.txt"
    leftover.write_bytes(data)
    result = ingest_article(WIRE, "tiny")
    assert result.seed_file == leftover.name
    assert len(list(dossier.seeds.iterdir())) == 2


BAD = {
    "empty.txt": (b"", "empty"),
    "binary.bin": (bytes(range(256)) * 4, "binary"),
    "huge.txt": (b'SYNTHETIC "quote," he said. ' * 200_000, "too large"),
    "page.html": (b"<!DOCTYPE html>\n<html><head><title>SYNTHETIC</title></head><body><p>Lavrov said \"no\".</p></body></html>\n", "markup"),
    "catalan.txt": (
        "SYNTHETIC. «No ho acceptarem mai», ha dit el ministre rus d'Exteriors, que ha afegit que les converses "
        "amb els Estats Units han estat constructives però que encara queda molta feina per fer abans d'una cimera.".encode(),
        "does not look like English",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_gets_a_clear_message_and_changes_nothing(dossier, tmp_path, name):
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = dossier.snapshot()
    with pytest.raises(IngestError, match=message) as caught:
        ingest_article(path, "tiny")
    assert caught.value.exit_code == 2
    assert dossier.snapshot() == before


def test_wire_copy_is_ingested_without_flags(dossier, tmp_path):
    """Unpaired marks, a quotation cut off by the excerpt, a quote-free article: all are articles."""
    path = tmp_path / "unbalanced.txt"
    path.write_bytes(b'SYNTHETIC TEST ARTICLE.\nLavrov said "we will never accept it.\nThe talks ended.\n')
    result = ingest_article(path, "tiny")
    assert result.unbalanced and result.new_source and result.truncated == 1
    (row,) = [r for r in result.proposed if r["kind"] == "direct_quote"]
    assert (row["text"], row["flags"]) == ("we will never accept it.", "truncated")
    assert "flagged truncated" in result.summary()
    quiet = tmp_path / "no_quotes.txt"
    quiet.write_bytes(b"SYNTHETIC TEST ARTICLE.\nThe minister said the talks would go on for hours and that nothing was agreed.\n")
    assert [r["kind"] for r in ingest_article(quiet, "tiny").proposed] == ["reported_speech"]


def test_a_multi_paragraph_quote_is_one_candidate_with_its_break(dossier):
    result = ingest_article(article("wire_multipara_truncated.txt"), "tiny")
    rows = {r["text"]: r for r in result.proposed}
    two = next(r for t, r in rows.items() if t.startswith("We have said it before"))
    assert "\n" in two["text"] and two["flags"] == "paragraphs" and two["new_actor"] == "Hanna Kovalenko"
    text = article("wire_multipara_truncated.txt").read_text(encoding="utf-8")
    assert text[int(two["char_start"]) : int(two["char_end"])] == two["text"]
    assert not any("No deal without us" in t for t in rows)  # the headline is not proposed
    cut = next(r for t, r in rows.items() if t.startswith("If the guns fall silent"))
    assert cut["flags"] == "truncated"
    partial = next(r for t, r in rows.items() if "technical contacts" in t)
    assert partial["flags"] == "partial_quote" and "technical contacts" not in rows
    start, end = map(int, partial["quoted_spans"].split("-"))
    assert text[start:end] == "technical contacts"


def test_headlines_are_proposed_when_asked(dossier):
    result = ingest_article(article("wire_multipara_truncated.txt"), "tiny", headlines=True)
    (headline,) = [r for r in result.proposed if r["text"] == "No deal without us"]
    assert headline["flags"] == "headline" and headline["new_actor"] == "Hanna Kovalenko"


def test_bad_options_are_refused(dossier):
    with pytest.raises(IngestError, match="not an ISO date"):
        ingest_article(WIRE, "tiny", published="20 Feb 2031")
    with pytest.raises(IngestError, match="is not a slug"):
        ingest_article(WIRE, "tiny", source_id="Wire 1")
    with pytest.raises(IngestError, match="already a source"):
        ingest_article(WIRE, "tiny", source_id="tiny_seed")


def test_an_invalid_dossier_is_not_written_to(dossier):
    dossier.table("actors").write_text(dossier.table("actors").read_text().replace("lavrov,Sergei Lavrov,person", "lavrov,Sergei Lavrov,wizard"))
    before = dossier.snapshot()
    with pytest.raises(DossierInvalid, match="fix them first"):
        ingest_article(WIRE, "tiny")
    assert dossier.snapshot() == before


def test_short_ids_follow_each_source_and_older_ids_still_work(dossier):
    from parley.review.decisions import Decision, accept
    from parley.review.intake import add_candidate

    first = ingest_article(WIRE, "tiny", published="2031-02-20")
    queue = read_candidates(dossier.folder)
    count = len(queue)
    # a queue written before short ids: its rows keep their c_<hex> ids, and they are still accepted
    queue[0]["candidate_id"] = old = candidate_id(queue[0]["source_id"], int(queue[0]["char_start"]), int(queue[0]["char_end"]), queue[0]["text"])
    dossier.folder.joinpath(candidates_path(dossier.folder).name).write_bytes(candidates_bytes(queue))
    assert old.startswith("c_") and len(old) == 14
    (statement_id,) = accept("tiny", [old], Decision(speaker=""))
    assert statement_id in {r["statement_id"] for r in dossier.rows("statements")}
    # a span the reviewer selects: the next number of that source
    text = WIRE.read_bytes().decode()
    start = text.index("Reporting by")
    assert add_candidate("tiny", first.source_id, start, start + len("Reporting by John Smith")) == f"c1-{count + 1}"
    with pytest.raises(IngestError, match=f"already candidate c1-{count + 1}"):
        add_candidate("tiny", first.source_id, start, start + len("Reporting by John Smith"))
    # another article: its own numbers; ingesting again gives no new id
    other = ingest_article(article("curly_brussels.txt"), "tiny")
    assert [r["candidate_id"] for r in other.proposed] == [f"c2-{n}" for n in range(1, len(other.proposed) + 1)]
    assert ingest_article(WIRE, "tiny").proposed == []
