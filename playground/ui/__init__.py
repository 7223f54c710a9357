"""The only part of the engine that imports streamlit: session-state accessors and shared widgets."""
