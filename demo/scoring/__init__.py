"""Demo scoring: the yearly cycles (``cycles``) and the tools they are built with (``tools``)."""

from demo.scoring.cycles import scoring_demo_ensure, scoring_demo_summary
from demo.scoring.tools import DemoReport

__all__ = ["DemoReport", "scoring_demo_ensure", "scoring_demo_summary"]
