"""The dashboard's pages (Streamlit): one module per page, each a `draw(ctx)` function, and
`run_app`, which parses the command line Streamlit passes on and shows the navigation."""
