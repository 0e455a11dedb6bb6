"""The kinds of check, listed: the name a rule record gives in `kind` → the function that runs it.

Each function takes the validation context and one rule record and returns the findings
for the rows the rule catches, working over whole columns. A new kind is a function in
one of the modules below and a line here; `HISTORY_KINDS` are the kinds that match rows
against the awards of past years, so validation loads the register for their rows' people.
"""
from __future__ import annotations

from typing import Callable

from . import (collective, column_checks, discipline_checks, history_checks, initiative, person_checks, quota,
               row_checks)

KINDS: dict[str, Callable] = {
    # one row, or rows against each other this year
    "required": row_checks.required,
    "date_of_birth": row_checks.date_of_birth,
    "known_award": row_checks.known_award,
    "subject": row_checks.subject,
    "subject_signals": row_checks.subject_signals,
    "duplicate": row_checks.duplicate,
    # awards already known: this year's nominations and the register
    "same_year_award": history_checks.same_year_award,
    "streak": history_checks.streak,
    "count_in_window": history_checks.count_in_window,
    "prior_award": history_checks.prior_award,
    "one_award_a_year": person_checks.one_award_a_year,
    # initiatives and quotas
    "initiative": initiative.initiative,
    "quota_ratio": quota.quota_ratio,
    # optional columns of the unit's file
    "column_in": column_checks.column_in,
    "column_empty": column_checks.column_empty,
    "months_before_year_end": column_checks.months_before_year_end,
    "column_has": person_checks.column_has,
    "years_since": person_checks.years_since,
    "rated_in_window": person_checks.rated_in_window,
    # disciplines in the register: refused in the award year, periods start again after one
    "under_discipline": discipline_checks.under_discipline,
    "discipline_restart": discipline_checks.discipline_restart,
    # collectives counted by their members
    "collective_count": collective.collective_count,
    "collective_discipline": collective.collective_discipline,
}

HISTORY_KINDS: frozenset[str] = frozenset({
    "same_year_award", "streak", "count_in_window", "prior_award", "one_award_a_year",
})

REGISTER_KINDS: frozenset[str] = HISTORY_KINDS | {"under_discipline", "discipline_restart"}
"""The kinds that read the register (its awards through `known` and `history`, its disciplines): validation runs
the others while the register is being read."""

INITIATIVE_KINDS: frozenset[str] = frozenset({"initiative", "streak"})
"""The kinds that read the initiatives' authors (`Context.initiatives`, `initiative.in_window`,
`has_initiative_data`): validation works them out beside the other checks and runs these after."""
