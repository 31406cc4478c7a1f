"""Queueing and staffing mathematics for contact-centre designs, usable from a notebook.

Traffic is in Erlangs (arrivals per second x handle time in seconds), times are in
seconds and probabilities are fractions (0.8, not 80).  Every function takes numbers or
numpy arrays, broadcasts them against each other and returns a Python number for
scalar input or an ndarray for array input.  Python numbers take a scalar path that
gives exactly the arrays' answers (a `required_agents` call costs about 10 us, 40 us
with patience), so calling these in a loop is fine:

>>> from blueprintc import queueing as q
>>> round(q.erlang_c(10, 11), 4)  # 10 Erlangs on 11 agents: probability of waiting
0.6821
>>> q.required_agents(10, aht=180, target=20, service_level=0.8)  # 80 % within 20 s
14
>>> q.fte(21, shrinkage=0.3)
30.0

Models: Erlang B (blocked calls lost), Erlang C (callers wait for ever), Erlang A (callers
hang up after an exponential patience), chat concurrency, deferred work with a FIFO
backlog (e-mail), outbound dialling hours and FTE from shrinkage.  Agents are whole
numbers: a fractional head count raises ValueError.  `required_agents` returns
INFEASIBLE (-1) for a cell no head count can satisfy.  Formulas, assumptions and a worked
example are in docs/queueing.md.
"""

from blueprintc.solve.queueing import (
    FTE_TOLERANCE,
    INFEASIBLE,
    TARGET_TOLERANCE,
    ErlangAResult,
    asa,
    chat_agents,
    deferred_agents,
    erlang_a,
    erlang_b,
    erlang_c,
    fte,
    occupancy,
    outbound_hours,
    required_agents,
    service_level,
)

__all__ = [
    "FTE_TOLERANCE",
    "INFEASIBLE",
    "TARGET_TOLERANCE",
    "ErlangAResult",
    "asa",
    "chat_agents",
    "deferred_agents",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "fte",
    "occupancy",
    "outbound_hours",
    "required_agents",
    "service_level",
]
