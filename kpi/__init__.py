"""The KPI domain (pure: no streamlit, no SQL).

``kpi.plan`` and ``kpi.targets`` read and check ``targets.toml``; ``kpi.engine`` sums
(``kpi.sums``), judges (``kpi.judge``), projects (``kpi.projection``) and ranks;
``kpi.whatif``/``kpi.scenario`` compare a scenario with the plan; ``kpi.insights`` picks what
needs attention; ``kpi.preview`` judges an upload before it is saved; the command line is
``__main__``. Every Vietnamese text of the layer is in ``kpi.texts``.
"""
