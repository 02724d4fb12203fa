from jiegui.cli import app

app()
