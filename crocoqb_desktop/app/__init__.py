"""Application services shared by the CLI and the GUI (the GUI only shows and commands them)."""
