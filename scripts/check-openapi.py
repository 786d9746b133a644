"""Validates openapi.yaml against the OpenAPI 3.1 schema (openapi-spec-validator). The API tests
(Tests/MFAServerTests) check every response they get against the document's schemas."""
import sys

import yaml
from openapi_spec_validator import validate

validate(yaml.safe_load(open(sys.argv[1] if len(sys.argv) > 1 else "openapi.yaml")))
print("openapi.yaml: valid OpenAPI 3.1")
