// AWSAuth module.
