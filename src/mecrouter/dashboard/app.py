"""The script `streamlit run` runs (`mecrouter dashboard` starts it): the arguments after `--`
are the dashboard's own (`views.context.parse_args`)."""

import sys

from mecrouter.dashboard.views.app import run_app

run_app(sys.argv[1:])
