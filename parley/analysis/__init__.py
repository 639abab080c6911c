"""Pure analysis over a loaded dossier: DataFrame in, DataFrame out. No Plotly, no files."""

from parley.analysis.alignment import alignment
from parley.analysis.bargaining import bargaining_space, deal_blockers, red_lines
from parley.analysis.changes import event_changes, new_statements, stance_changes
from parley.analysis.coverage import coverage, review_status, source_coverage, verify_statements
from parley.analysis.evidence import default_as_of, parse_date, positions_with_evidence
from parley.analysis.quotes import key_quotes
from parley.analysis.seats import party_of, seats, table_event, table_parties
from parley.analysis.stance import latest_positions, stance_matrix, stance_table
from parley.analysis.staleness import dossier_period, judgments_due, latest_date, period_text
from parley.analysis.timeline import timeline, watch_list
from parley.analysis.trajectory import stance_trajectories
from parley.analysis.editions import diff_editions, edition_of, headline
from parley.analysis import differs  # noqa: E402,F401  (registers the record kinds every edition keeps)

__all__ = [
    "alignment", "bargaining_space", "coverage", "deal_blockers", "default_as_of", "event_changes",
    "key_quotes", "latest_positions", "new_statements", "parse_date", "party_of", "positions_with_evidence",
    "red_lines", "review_status", "seats", "source_coverage", "stance_changes", "stance_matrix", "stance_table",
    "table_event", "table_parties", "timeline", "verify_statements", "watch_list",
    "dossier_period", "judgments_due", "latest_date", "period_text", "stance_trajectories",
    "diff_editions", "edition_of", "headline",
]
