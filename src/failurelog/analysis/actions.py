"""Open follow-up actions across incidents, from every list the schema marks ``x-action-list``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from failurelog.analysis.memo import LastResult
from failurelog.core import roles
from failurelog.core.roles import ActionList
from failurelog.core.schema import ITEMS
from failurelog.model.incident import Incident, Model


@dataclass(frozen=True)
class ActionEntry:
    """One follow-up action of one incident."""

    incident: Incident
    source: ActionList
    index: int
    text: str
    owner: str
    due: date | None
    status: str
    priority: str | None
    overdue: bool
    age_days: int | None = None  # days past its due date, when overdue
    completed: date | None = None
    verified_by: str | None = None
    evidence: str | None = None
    ticket: str | None = None

    @property
    def kind(self) -> str:
        """The list's title, e.g. "Action Items" or "Immediate Preventive Actions"."""
        return self.source.field.title

    @property
    def done(self) -> bool:
        """Whether its status is one the list counts as done."""
        return self.status in self.source.done

    @property
    def unverified(self) -> bool:
        """Done, but nobody is named as having checked that it works (when the list can say so)."""
        return self.done and self.source.verified_by is not None and not self.verified_by

    @property
    def key(self) -> ActionKey:
        """(incident id, list field, index): names one action across analyses."""
        return (self.incident.id, self.source.field.name, self.index)


#: One action across analyses: (incident id, list field name, index in the list); see :attr:`ActionEntry.key`.
ActionKey = tuple[str, str, int]
#: Marks actions for a reason of its own: ``(model, every action) -> {action key: [flag text]}``.
Flagger = Callable[[Model, list["ActionEntry"]], dict[ActionKey, list[str]]]


def parse_date(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` string as a date, or None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _text_field(model: Model, spec: ActionList) -> str | None:
    """The item field holding the action's text: the first string field not otherwise used."""
    used = {spec.owner, spec.due, spec.status, spec.priority}
    for child in model.schema.children((*spec.field.path, ITEMS)):
        if child.key not in used and child.type == "string" and child.choices is None:
            return child.key
    return None


def _text(item: dict[str, Any], key: str | None) -> str | None:
    value = item.get(key) if key else None
    return str(value).strip() or None if value is not None else None


def all_actions(model: Model) -> list[ActionEntry]:
    """Every action of every list, open or not, in incident order (newest first), in a new list.

    The entries are read once per model and day (:mod:`failurelog.analysis.memo`): a build asks five times.
    """
    return list(_last_actions(model, extra=(model.today,)))


def _read_actions(model: Model) -> list[ActionEntry]:
    out = []
    for spec in roles.action_lists(model.schema):
        text_key = _text_field(model, spec)
        for incident in model.incidents:
            items = incident.value(spec.field.name)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                status = str(item.get(spec.status, ""))
                due = parse_date(item.get(spec.due))
                done = status in spec.done
                priority = item.get(spec.priority) if spec.priority else None
                overdue = not done and due is not None and due < model.today
                out.append(
                    ActionEntry(
                        incident=incident,
                        source=spec,
                        index=index,
                        text=str(item.get(text_key, "")) if text_key else "",
                        owner=str(item.get(spec.owner, "")).strip() or "(no owner)",
                        due=due,
                        status=status,
                        priority=str(priority) if priority is not None else None,
                        overdue=overdue,
                        age_days=(model.today - due).days if overdue and due else None,
                        completed=parse_date(item.get(spec.completed)) if spec.completed else None,
                        verified_by=_text(item, spec.verified_by),
                        evidence=_text(item, spec.evidence),
                        ticket=_text(item, spec.ticket),
                    )
                )
    return out


_last_actions = LastResult(_read_actions)


def priority_order(model: Model) -> dict[str, int]:
    """Rank of each priority choice over every action list (schema order)."""
    order: dict[str, int] = {}
    for spec in roles.action_lists(model.schema):
        if spec.priority:
            child = model.schema.field(f"{spec.field.name}{ITEMS}.{spec.priority}")
            for value in child.choices or [] if child else []:
                order.setdefault(value, len(order))
    return order


def open_actions(model: Model, every: list[ActionEntry] | None = None) -> list[ActionEntry]:
    """Actions not in a ``done`` status (of ``every``, default all), by owner, then priority, then due date."""
    order = priority_order(model)
    entries = [a for a in (all_actions(model) if every is None else every) if a.status not in a.source.done]
    entries.sort(
        key=lambda a: (
            a.owner.casefold(),
            order.get(a.priority or "", len(order)),
            a.due or date.max,
            a.incident.id,
            a.index,
        )
    )
    return entries
