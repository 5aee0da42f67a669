#!/usr/bin/env bash
# The check step of action.yml: annotations (--format github, which also appends a Markdown summary
# of every finding to $GITHUB_STEP_SUMMARY), and SARIF when INPUT_SARIF_FILE is set. The baseline
# in tonecheck.toml (`baseline = ...`) applies with no flag. Exit code: tonecheck's (0, 1, 2).
set -u
read -r -a command <<< "${TONECHECK_COMMAND:-tonecheck}"
read -r -a paths <<< "${INPUT_PATH:-.}"
read -r -a args <<< "${INPUT_ARGS:-}"
status=0
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  "${command[@]}" check "${paths[@]}" --format sarif --output-file "$INPUT_SARIF_FILE" --exit-zero "${args[@]}" || status=$?
fi
"${command[@]}" check "${paths[@]}" --format github "${args[@]}" || { code=$?; [ "$status" -eq 0 ] && status=$code; }
exit "$status"
