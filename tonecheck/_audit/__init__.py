"""`tonecheck audit`: a team lead's report from helpdesk conversation exports.

A thin front end over the library: `readers` stream the export (agents' public replies, skipped
records counted), `work` lints batches through `tonecheck.Linter` (one process, a process pool,
or Dask), `aggregate` counts, `render` writes HTML, JSON or CSV; `library` adds the saved-reply
library section. `run.run_audit` ties them together.
"""
