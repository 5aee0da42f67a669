"""`tonecheck serve`: the pre-send service (install with `pip install "tonecheck[serve]"`).

settings: the [serve] table and API keys; gate: verdicts; rules: rule descriptions; app: the ASGI
application (JSON API v1, LanguageTool-compatible v2, the composer page, metrics); runner: uvicorn.
"""
