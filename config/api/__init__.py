"""The REST API, version 1 (``/api/v1/``): what every app's ``api.py`` shares — who may call
(session, personal access tokens, API keys), how lists are paged, how often a caller may ask, the
errors' shape and the OpenAPI schema with its documentation page."""
