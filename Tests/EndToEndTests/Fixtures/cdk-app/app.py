#!/usr/bin/env python3
import aws_cdk as cdk
from aws_cdk import Stack, CfnOutput
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct


class StandinCdkStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        hello = _lambda.Function(
            self,
            "HelloHandler",
            runtime=_lambda.Runtime.PYTHON_3_12,
            code=_lambda.Code.from_asset("lambda/hello"),
            handler="index.handler",
            environment={"APP_GREETING": "hello-from-cdk"},
        )
        # cloud_watch_role=True because this account's API Gateway logging role
        # is managed from this stack.
        apigw.LambdaRestApi(self, "HelloApi", handler=hello, cloud_watch_role=True)

        items = _lambda.Function(
            self,
            "ItemsHandler",
            runtime=_lambda.Runtime.PYTHON_3_12,
            code=_lambda.Code.from_asset("lambda/items"),
            handler="index.handler",
            environment={"APP_TABLE": "items-table"},
        )
        http_api = apigwv2.HttpApi(self, "ItemsHttpApi")
        http_api.add_routes(
            path="/items/{id}",
            methods=[apigwv2.HttpMethod.GET],
            integration=HttpLambdaIntegration("ItemsIntegration", items),
        )
        CfnOutput(self, "ItemsApiUrl", value=http_api.url)


app = cdk.App()
StandinCdkStack(app, "StandinCdkStack")
app.synth()
