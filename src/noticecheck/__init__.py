"""noticecheck: check UK school privacy notices against UK GDPR and DfE expectations."""

__version__ = "0.1.0"
