"""Deep Learning Playground: the engine behind the Streamlit pages (no UI outside playground/ui/)."""
