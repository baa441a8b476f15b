import subprocess
import sys

import pytest


@pytest.mark.slow
def test_bertopic_plotting_is_read_only_when_a_chart_is_drawn():
    code = (
        "import sys\n"
        "import insights.themes\n"
        "from bertopic import BERTopic\n"
        "import bertopic._bertopic as b\n"
        "before = 'plotly.figure_factory' in sys.modules\n"
        "draw = b.plotting.visualize_topics\n"
        "print(before, 'plotly.figure_factory' in sys.modules, draw.__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    assert out.stdout.split() == ["False", "True", "bertopic.plotting._topics"]
