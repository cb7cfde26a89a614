"""Analyses read once per model: the same answer as a fresh reading, and never another model's."""

from __future__ import annotations

import dataclasses
import gc
from datetime import date

from failurelog.analysis import actions as actions_module
from failurelog.analysis import recurrence as recurrence_module
from failurelog.analysis.actions import all_actions
from failurelog.analysis.memo import LastResult
from failurelog.analysis.recurrence import recurrences
from failurelog.analysis.related import related
from failurelog.model.incident import Model
from failurelog.site.generate import load_model
from tests.site_helpers import ROOT

TODAY = date(2026, 12, 1)


def test_actions_asked_again_are_the_first_reading_in_a_new_list() -> None:
    model = load_model(ROOT, TODAY)
    first = all_actions(model)
    first.clear()  # a caller's list: emptying it changes nothing for the next one
    again = all_actions(model)
    assert again == actions_module._read_actions(model)
    assert len(again) > 20 and any(a.overdue for a in again)


def test_another_model_or_day_is_read_afresh() -> None:
    model = load_model(ROOT, TODAY)
    mine = all_actions(model)
    other = load_model(ROOT, TODAY)
    theirs = all_actions(other)
    assert theirs == mine  # the same files...
    assert {id(a.incident) for a in theirs}.isdisjoint(id(a.incident) for a in mine)  # ...but their own incidents
    later: Model = dataclasses.replace(model, today=date(2030, 1, 1))
    assert sum(a.age_days or 0 for a in all_actions(later)) > sum(a.age_days or 0 for a in mine) > 0
    model.today = date(2030, 1, 1)  # the day is part of the key, even changed in place
    assert [a.age_days for a in all_actions(model)] == [a.age_days for a in all_actions(later)]


def test_recurrences_are_kept_per_model_and_analysis() -> None:
    model = load_model(ROOT, TODAY)
    rel = related(model)
    found = recurrences(model, rel)
    assert found == recurrence_module._read_recurrences(model, rel) and found
    assert recurrences(model, rel) == found and recurrences(model, rel) is not found
    other = related(model)  # another analysis of the same model: read again, over it
    assert recurrences(model, other) == found


def test_a_result_is_not_kept_for_an_object_that_is_gone() -> None:
    calls: list[int] = []

    class Box:
        pass

    def compute(box: Box) -> int:
        calls.append(id(box))
        return len(calls)

    last = LastResult(compute)
    box = Box()
    assert last(box) == last(box) == 1
    del box
    gc.collect()
    assert last(Box()) == 2  # a new object, even at the old one's address, is computed for
    assert last(Box(), extra=(1,)) == 3
