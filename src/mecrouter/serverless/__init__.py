"""mecrouter on AWS Lambda: the gateway behind an API Gateway HTTP API (`serverless.gateway`), the
API's key authorizer (`serverless.authorizer`), and the Step Functions workflows' task handlers
(`serverless.workflows`). The CDK app in `infrastructure/` deploys them; docs/deploy.md says how.

Each handler module is imported by its own Lambda function only, and imports boto3 (the ``aws``
extra) and Mangum as it needs them.
"""
