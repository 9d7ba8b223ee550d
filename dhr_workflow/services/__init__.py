"""Use cases. Each public function owns one transaction; entry points (CLI, web, API, tasks) only translate."""
