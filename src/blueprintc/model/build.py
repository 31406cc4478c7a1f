"""Build the resolved model from the checked program.

References to standard-library templates (``std.voice``, ``std.acd``) are rebound to the
blueprint's own declarations that extend them: a component inheriting
``supports std.voice`` supports every channel of the blueprint built on ``std.voice``.
Catalogue declarations of the standard library (patterns, practices) are used as they are
and join the model when something refers to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from blueprintc.model import elements as m
from blueprintc.model.defaults import DEFAULTS, default_mode
from blueprintc.model.fields import HOUR, YEAR, FieldReader
from blueprintc.model.inherit import chain, effective
from blueprintc.model.model import Model
from blueprintc.semantic import figures as F
from blueprintc.semantic import locales
from blueprintc.semantic.check import CheckedProgram, Declaration
from blueprintc.semantic.schema import BASELINE_TOLERANCE
from blueprintc.semantic.symbols import Symbol
from blueprintc.semantic.values import FieldValue
from blueprintc.source import Span
from blueprintc.syntax import ast

TEMPLATE_KINDS = ("channel", "component")
CATALOGUE_KINDS = ("pattern", "practice")


class ModelBuilder:
    """Turns checked declarations into model elements."""

    def __init__(self, checked: CheckedProgram) -> None:
        self.checked = checked
        self.by_symbol: dict[Symbol, Declaration] = {d.symbol: d for d in checked.declarations}
        self.extenders: dict[str, list[str]] = {}
        for declaration in checked.declarations:
            if declaration.symbol.is_std or declaration.symbol.kind not in TEMPLATE_KINDS:
                continue
            for ancestor in chain(declaration, self.by_symbol)[1:]:
                if ancestor.symbol.is_std:
                    key = f"{ancestor.symbol.kind}:{ancestor.symbol.name}"
                    self.extenders.setdefault(key, []).append(declaration.symbol.name)

    def rebind(self, kind: str, name: str) -> list[m.Ref]:
        """The blueprint's elements a reference stands for (none for an unused template)."""
        if name.startswith("std.") and kind in TEMPLATE_KINDS:
            return [m.Ref(kind, n) for n in self.extenders.get(f"{kind}:{name}", [])]
        return [m.Ref(kind, name)]

    def build(self) -> Model:
        elements: dict[m.Ref, m.Element] = {}
        blueprint: m.Blueprint | None = None
        for declaration in self.checked.declarations:
            symbol = declaration.symbol
            if symbol.is_std and symbol.kind not in CATALOGUE_KINDS:
                continue
            reader = self.reader(declaration)
            for element in BUILDERS[symbol.kind](self, reader, symbol):
                if isinstance(element, m.Blueprint):
                    blueprint = element
                else:
                    elements[element.ref] = element
        assert blueprint is not None, "the checker guarantees a blueprint block"
        assertions = tuple(self.assertions())
        extended = {
            ancestor.symbol.name
            for d in self.checked.declarations
            if d.symbol.kind == "practice" and not d.symbol.is_std
            for ancestor in chain(d, self.by_symbol)[1:]
        }
        catalogue = tuple(
            e for e in elements.values() if isinstance(e, m.Practice) and e.name not in extended
        )
        return Model(blueprint, _prune_catalogue(elements, assertions), assertions, catalogue)

    def reader(self, declaration: Declaration) -> FieldReader:
        fields, origins = effective(declaration, self.by_symbol)
        templates = tuple(
            d.symbol.name for d in chain(declaration, self.by_symbol)[1:] if d.symbol.is_std
        )
        return FieldReader(fields, origins, self.rebind, templates)

    def assertions(self) -> list[m.Assertion]:
        result = []
        seen: dict[str, int] = {}
        for node, typed in zip(self.checked.asserts, self.checked.typed, strict=True):
            assert typed is not None, "the checker reported every assertion it cannot resolve"
            text = " ".join(node.span.text.split()[1:])
            seen[text] = seen.get(text, 0) + 1
            name = text if seen[text] == 1 else f"{text} #{seen[text]}"
            mentions = [r for f in F.figure_refs(typed) for r in self._mentions(f.argument)]
            result.append(
                m.Assertion(
                    name=name,
                    span=node.span,
                    expr=node.expr,
                    typed=typed,
                    mentions=tuple(dict.fromkeys(mentions)),
                )
            )
        return result

    def _mentions(self, argument: F.Resolved) -> list[m.Ref]:
        """The elements a figure's argument names (a channel, site or phase)."""
        if not isinstance(argument, F.Named):
            return []
        symbols = self.checked.symbols.by_name.get(argument.name, [])
        found = [s for s in symbols if s.kind == argument.kind][:1]
        return [ref for symbol in found for ref in self.rebind(symbol.kind, symbol.name)]


def _prune_catalogue(
    elements: dict[m.Ref, m.Element], assertions: tuple[m.Assertion, ...]
) -> dict[m.Ref, m.Element]:
    """Keep library patterns and practices only when the blueprint refers to them."""
    referenced: set[m.Ref] = set()
    for element in (*elements.values(), *assertions):
        if not element.library:
            referenced |= _catalogue_refs(element)
    return {ref: e for ref, e in elements.items() if not e.library or ref in referenced}


def _catalogue_refs(element: m.Element) -> set[m.Ref]:
    """The patterns and practices an element names (they name no others themselves)."""
    if isinstance(element, m.Channel):
        found = {ref for ref, _ in element.intraday}
        return found | ({element.weekly} if element.weekly else set())
    if isinstance(element, m.Process):
        return {element.seasonality} if element.seasonality else set()
    if isinstance(element, m.Maturity):
        return {*element.current, *element.target}
    if isinstance(element, m.Phase):
        return {ref for ref in element.includes if ref.kind in CATALOGUE_KINDS}
    if isinstance(element, m.Assertion):
        return {ref for ref in element.mentions if ref.kind in CATALOGUE_KINDS}
    return set()


# -- one builder per declaration kind -----------------------------------------------------

Builder = Callable[[ModelBuilder, FieldReader, Symbol], list[m.Element]]


def _common(reader: FieldReader, symbol: Symbol) -> dict[str, object]:
    return {
        "name": symbol.name or symbol.kind,
        "span": symbol.name_span,
        "origins": reader.origins,
        "allows": reader.allows(),
        "label": reader.text("label"),
        "description": reader.text("description"),
        "library": symbol.is_std,
    }


def _group(values: Iterable[FieldValue]) -> dict[str, list[FieldValue]]:
    grouped: dict[str, list[FieldValue]] = {}
    for value in values:
        grouped.setdefault(value.name, []).append(value)
    return grouped


def _with_defaults(r: FieldReader, names: Iterable[str]) -> dict[str, m.Origin]:
    """The reader's origins, plus a ``default`` origin for each field left out."""
    origins = dict(r.origins)
    for name in names:
        origins.setdefault(name, m.Origin(None, "default"))
    return origins


def _blueprint(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    title = s.statement.args[0].atoms[0] if s.statement.args else None
    start = r.date("start")
    assert start is not None
    horizon = r.quantity("horizon") or Fraction(0)
    common = _common(r, s)
    common["origins"] = _with_defaults(
        r,
        (
            "discount", "interval", "automation_threshold", "closed_hours", "overlap",
            "locale", "units",
        ),
    )  # fmt: skip
    locale = locales.identifier(r.text("locale") or "") or locales.DEFAULT_LOCALE
    return [
        m.Blueprint(
            **common,  # type: ignore[arg-type]
            title=title.value if isinstance(title, ast.Text) else "",
            client=r.text("client"),
            author=r.text("author"),
            version=r.text("version"),
            currency=b.checked.currency or "",
            exchange=dict(b.checked.exchange),
            start_year=start[0],
            start_month=start[1],
            horizon_months=round(horizon / DEFAULTS.month_seconds),
            discount=r.number("discount", DEFAULTS.discount),
            interval=r.number("interval", DEFAULTS.interval),
            automation_threshold=(
                r.per_hour("automation_threshold") or DEFAULTS.automation_threshold
            ),
            closed_hours=r.word("closed_hours") or DEFAULTS.closed_hours,
            overlap_months=round(
                r.number("overlap", Fraction(DEFAULTS.month_seconds)) / DEFAULTS.month_seconds
            ),
            locale=locale,
            units=m.UnitSystem(r.word("units") or locales.default_units(locale)),
        )
    ]


def _brand(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    promises = []
    for field in r.all("promise"):
        name, text = r.word_at(field, 0), r.text_at(field, 1)
        targets = tuple(
            m.PromiseTarget(channel, level, within, t.span)
            for t in (field.block or ())
            if t.name == "target"
            for channel, level, within in r.channel_targets(t)
        )
        promise_symbol = b.checked.symbols.get("promise", name)
        inner = FieldReader(_group(field.block or ()), {}, b.rebind, ())
        promises.append(
            m.Promise(
                name=name,
                span=promise_symbol.name_span if promise_symbol else field.span,
                origins={"promise": m.Origin(field.span)},
                allows=inner.allows(),
                label=inner.text("label"),
                description=inner.text("description"),
                brand=s.name,
                text=text,
                targets=targets,
                library=s.is_std,
            )
        )
    values = tuple((r.word_at(f, 0), r.text_at(f, 1) or "") for f in r.all("value"))
    brand = m.Brand(
        **_common(r, s),  # type: ignore[arg-type]
        positioning=r.text("positioning"),
        promises=tuple(p.name for p in promises),
        values=values,
    )
    return [brand, *promises]


def _segment(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Segment(
            **_common(r, s),  # type: ignore[arg-type]
            share=r.number("share", Fraction(0)),
            customers=r.quantity("customers"),
            value=r.word("value") or "",
            potential=r.word("potential"),
            strategy=r.word("strategy") or "",
            intensity=r.word("intensity") or "",
        )
    ]


def _service(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Service(
            **_common(r, s),  # type: ignore[arg-type]
            delivers=r.refs("delivers"),
            segments=r.refs("segments"),
            cycle=r.words("cycle"),
            product=r.word("product"),
        )
    ]


def _process(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    mix, unbound = r.entries("mix")
    return [
        m.Process(
            **_common(r, s),  # type: ignore[arg-type]
            service=r.ref("service") or m.Ref("service", ""),
            volume=(r.per_hour("volume") or Fraction(0)),
            growth=(r.per_year("growth") or Fraction(0)),
            mix=mix,
            aht=r.entries("aht")[0],
            acw=r.entries("acw")[0],
            automation=r.entries("automation")[0],
            migrations=r.migrations(),
            seasonality=r.ref("seasonality"),
            segments=r.refs("segments"),
            unbound=unbound,
        )
    ]


def _outbound(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Outbound(
            **_common(r, s),  # type: ignore[arg-type]
            service=r.ref("service") or m.Ref("service", ""),
            trigger=r.text("trigger") or "",
            channel=r.ref("channel") or m.Ref("channel", ""),
            volume=(r.per_hour("volume") or Fraction(0)),
            contact_rate=r.quantity("contact_rate"),
            aht=r.quantity("aht"),
            attempt_time=r.quantity("attempt_time"),
        )
    ]


def _channel(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    kind = r.word("kind")
    return [
        m.Channel(
            **_common(r, s),  # type: ignore[arg-type]
            channel_kind=kind,
            mode=r.word("mode") or default_mode(kind),
            hours=r.openings("hours"),
            target=r.target("target"),
            response=r.target("response"),
            max_asa=r.quantity("max_asa"),
            max_abandon=r.quantity("max_abandon"),
            patience=r.quantity("patience"),
            shrinkage=r.quantity("shrinkage"),
            occupancy=r.quantity("occupancy"),
            concurrency=r.number("concurrency", Fraction(1)),
            intraday=r.intraday(),
            weekly=r.ref("weekly"),
            minimum_agents=int(r.number("minimum_agents", Fraction(0))),
            usage=r.amount("usage"),
            templates=r.templates,
        )
    ]


def _pattern(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Pattern(
            **_common(r, s),  # type: ignore[arg-type]
            intraday=r.intraday_weights(),
            weekly=r.day_weights(),
            monthly=r.month_weights(),
        )
    ]


def _site(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Site(
            **_common(r, s),  # type: ignore[arg-type]
            location=r.text("location"),
            seats=int(r.number("seats", Fraction(0))),
            channels=r.refs("channels"),
            share=r.quantity("share"),
            area_per_seat=r.quantity("area"),
            rent=r.amount("rent"),
            fitout=r.amount("fitout"),
            running=r.amount("running"),
            existing=r.word("existing") == "yes",
            opens=r.date("opens"),
        )
    ]


def _per_paid_hour(r: FieldReader, paid_hours: Fraction) -> Fraction:
    """A loaded cost per hour is per paid hour; per week, month or year it is the cost of
    one FTE for that period, spread over the FTE's paid hours."""
    value = r.quantity("loaded_cost")
    if value is None:
        return Fraction(0)
    if r.per_word("loaded_cost") in ("h", "hr", "hour", "hours") or not paid_hours:
        return value * HOUR
    paid_hours_per_year = paid_hours * YEAR / HOUR  # paid share of the year's hours
    return value * YEAR / paid_hours_per_year


def _staffing(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    paid_hours = r.number("paid_hours", Fraction(0))
    return [
        m.Staffing(
            **_common(r, s),  # type: ignore[arg-type]
            loaded_cost=_per_paid_hour(r, paid_hours),
            paid_hours=paid_hours,
            spans={role: int(value) for role, value in r.keyed_numbers("span")},
            role_costs={role: value * YEAR for role, value in r.keyed_numbers("role_cost")},
            minimum_agents=int(r.number("minimum_agents", Fraction(0))),
            role_origins=_role_origins(r),
        )
    ]


def _role_origins(r: FieldReader) -> dict[tuple[str, str], m.Origin]:
    """(field, role) -> the line of ``span <role> N`` or ``role_cost <role> X``."""
    origins = {}
    for name in ("span", "role_cost"):
        origin = r.origins.get(name)
        via = origin.via if origin is not None else "declared"
        for field in r.all(name):
            role = FieldReader.word_at(field, 0)
            origins[name, role] = m.Origin(field.span, via)  # the last line wins, as in spans
    return origins


def _budget(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    year = r.quantity("year")
    return [
        m.Budget(
            **_common(r, s),  # type: ignore[arg-type]
            amount=r.number("amount", Fraction(0)),
            covers=r.refs("covers"),
            year=int(year) if year is not None else None,
        )
    ]


def _component(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    requires, missing = r.refs_with_missing("requires")
    return [
        m.Component(
            **_common(r, s),  # type: ignore[arg-type]
            component_kind=r.word("kind"),
            model=r.word("model"),
            supports=r.refs("supports"),
            requires=requires,
            missing_requires=missing,
            vendor=r.ref("vendor"),
            costs=r.costs(r.fields),
            options=r.options(),
            effort=r.quantity("effort"),
            replaces=r.refs("replaces"),
            templates=r.templates,
        )
    ]


def _phase(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Phase(
            **_common(r, s),  # type: ignore[arg-type]
            includes=r.refs("includes"),
            after=r.refs("after"),
            start=r.date("start"),
            duration=r.quantity("duration"),
            budget=r.quantity("budget"),
            pilots=r.pilots(),
        )
    ]


def _requirement(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Requirement(
            **_common(r, s),  # type: ignore[arg-type]
            category=r.word("category") or "",
            priority=r.word("priority") or "",
            text=r.text("text") or "",
            acceptance=r.text("acceptance"),
            traces=r.refs("traces"),
            mandatory=r.word("mandatory") == "yes",
        )
    ]


def _criterion(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Criterion(**_common(r, s), weight=r.number("weight", Fraction(0)))  # type: ignore[arg-type]
    ]


def _vendor(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Vendor(
            **_common(r, s),  # type: ignore[arg-type]
            bids=r.refs("bids"),
            scores=r.entries("score")[0],
            price=r.quantity("price"),
            fails=r.refs("fails"),
            discount=r.quantity("discount"),
        )
    ]


def _practice(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Practice(
            **_common(r, s),  # type: ignore[arg-type]
            practice_layer=r.word("layer") or "operational",
            tier=r.word("tier") or "standard",
            weight=r.number("weight", Fraction(1)),
            effort=r.quantity("effort"),
            cost=r.quantity("cost"),
        )
    ]


def _maturity(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Maturity(
            **_common(r, s),  # type: ignore[arg-type]
            current=r.refs("current"),
            target=r.refs("target"),
        )
    ]


def _system(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.System(
            **_common(r, s),  # type: ignore[arg-type]
            fate=r.word("fate") or "keep",
            cost=r.per_hour("cost"),
            supports=r.refs("supports"),
        )
    ]


def _baseline(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    keyed = ("volume", "aht", "acw", "service_level", "abandon", "agents", "fte")
    lines: dict[tuple[str, str], Span] = {}
    repeated: list[tuple[str, str, Span, Span]] = []
    unbound: list[tuple[str, Span]] = []
    for name in keyed:
        for channel, span in r.keyed_spans(name):
            first = lines.setdefault((name, channel), span)
            if first is not span:
                repeated.append((name, channel, span, first))
        if name not in ("agents", "fte"):
            unbound += r.unbound_keys(name)
    for name in ("seats", "sites", "growth", "tolerance", "cost"):
        for field in r.all(name)[:1]:
            lines[(name, "")] = field.span
    agents, unbound_agents = r.optionally_keyed("agents")
    fte, unbound_fte = r.optionally_keyed("fte")
    total_agents = next((v for ref, v, _ in agents if ref is None), None)
    total_fte = next((v for ref, v, _ in fte if ref is None), None)
    common = _common(r, s)
    common["origins"] = _with_defaults(r, ("tolerance",))
    return [
        m.Baseline(
            **common,  # type: ignore[arg-type]
            volumes={ref: value * 3600 for ref, value in r.keyed_by_channel("volume")},
            aht=dict(r.keyed_by_channel("aht")),
            acw=dict(r.keyed_by_channel("acw")),
            service_levels=r.baseline_levels(),
            abandon=dict(r.keyed_by_channel("abandon")),
            agents=int(total_agents) if total_agents is not None else None,
            fte=total_fte,
            channel_agents={ref: int(v) for ref, v, _ in agents if ref is not None},
            channel_fte={ref: v for ref, v, _ in fte if ref is not None},
            seats=int(seats) if (seats := r.quantity("seats")) is not None else None,
            sites=r.refs("sites"),
            growth=r.per_year("growth"),
            tolerance=r.number("tolerance", BASELINE_TOLERANCE),
            cost=r.per_hour("cost"),
            lines=lines,
            repeated=tuple(repeated),
            unbound=(*unbound, *unbound_agents, *unbound_fte),
        )
    ]


def _benefit(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    ramp = r.quantity("ramp")
    return [
        m.Benefit(
            **_common(r, s),  # type: ignore[arg-type]
            amount=r.per_hour("amount") or Fraction(0),
            because=r.refs("because"),
            start=r.date("from"),
            ramp_months=round(ramp / DEFAULTS.month_seconds) if ramp is not None else 0,
            source=r.text("source") or "",
        )
    ]


def _risk(b: ModelBuilder, r: FieldReader, s: Symbol) -> list[m.Element]:
    return [
        m.Risk(
            **_common(r, s),  # type: ignore[arg-type]
            likelihood=m.Level(r.word("likelihood") or "medium"),
            impact=m.Level(r.word("impact") or "medium"),
            owner=r.text("owner"),
            mitigation=r.text("mitigation"),
            threatens=r.refs("threatens"),
        )
    ]


BUILDERS: dict[str, Builder] = {
    "blueprint": _blueprint,
    "brand": _brand,
    "segment": _segment,
    "service": _service,
    "process": _process,
    "outbound": _outbound,
    "channel": _channel,
    "pattern": _pattern,
    "site": _site,
    "staffing": _staffing,
    "budget": _budget,
    "component": _component,
    "phase": _phase,
    "requirement": _requirement,
    "criterion": _criterion,
    "vendor": _vendor,
    "practice": _practice,
    "maturity": _maturity,
    "system": _system,
    "baseline": _baseline,
    "benefit": _benefit,
    "risk": _risk,
}


def build_model(checked: CheckedProgram) -> Model:
    """The resolved model of a program that passed every semantic check."""
    return ModelBuilder(checked).build()
