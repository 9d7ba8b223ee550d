"""The `dhr` command line (Typer + Rich). Commands translate arguments, call one service, and print."""
