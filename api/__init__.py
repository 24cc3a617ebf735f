"""What every endpoint of /api/v1/ shares: authentication, permissions, errors, ETags,
pagination, filtering, rate limits and the OpenAPI description. The endpoints themselves
live in paragraphs/api/, reports/api/ and reports/alerts/api/."""
