from tokenwatch.cli import app

app()
