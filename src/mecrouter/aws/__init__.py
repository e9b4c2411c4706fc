"""The AWS runtime's service clients (boto3), behind the optional ``aws`` extra.

Nothing in the core imports this package: the factories that need AWS (the DynamoDB store, the
Bedrock backend, the CloudWatch and EventBridge publishers, S3 and Secrets Manager access) import
it when they are built, so ``pip install mecrouter`` without ``[aws]`` never loads boto3.
"""
