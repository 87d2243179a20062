import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowedRequestHeaders } from "../../lambdas/cupping/responses";

export interface HttpApiArgs {
  /** Route keys ("METHOD /path") the function serves. */
  readonly routes: readonly string[];
  /** The function behind every route: its (alias's) invoke ARN, its name, and the alias the permission is for. */
  readonly target: {
    readonly invokeArn: pulumi.Input<string>;
    readonly functionName: pulumi.Input<string>;
    readonly qualifier?: pulumi.Input<string>;
  };
  /** Steady-state requests per second of the default route. */
  readonly rateLimit: number;
  /** Burst of requests of the default route. */
  readonly burstLimit: number;
  /** Days the access logs are kept. */
  readonly logRetentionDays: number;
  /** Web origins whose pages may call the API; API Gateway then answers preflights itself. @default [] (none) */
  readonly corsOrigins?: readonly string[];
  /** Authorization of each route key; absent routes are public. @default every route public */
  readonly authorization?: (routeKey: string) => "AWS_IAM" | "NONE";
}

/** What the HTTP API tells browsers, matching the function's own answers (lambdas/cupping/cors.ts): no credentials, ever. */
export function corsConfiguration(
  origins: readonly string[],
): aws.types.input.apigatewayv2.ApiCorsConfiguration | undefined {
  if (origins.length === 0) return undefined;
  return {
    allowOrigins: [...origins],
    allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
    allowHeaders: allowedRequestHeaders.split(","),
    allowCredentials: false,
    maxAge: 3600,
  };
}

/** The stage every route is served from; its invoke URL is the API's root URL. */
export const apiStage = "$default";

/** One JSON line per request; API Gateway fills in the $context variables. */
export const accessLogFormat = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
});

/** An API Gateway HTTP API: the routes, proxied to the function (payload 2.0), with access logs and default-route throttling. */
export class HttpApi extends pulumi.ComponentResource {
  public readonly apiId: pulumi.Output<string>;
  /** The invoke URL of the stage. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: HttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:HttpApi", name, {}, opts);
    const cors = corsConfiguration(args.corsOrigins ?? []);
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        protocolType: "HTTP",
        description: "Cupping log API",
        ...(cors ? { corsConfiguration: cors } : {}),
      },
      { parent: this },
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: args.target.invokeArn,
        payloadFormatVersion: "2.0",
      },
      { parent: this },
    );
    const routes = args.routes.map(
      (routeKey) =>
        new aws.apigatewayv2.Route(
          `${name}-${routeResourceName(routeKey)}`,
          {
            apiId: api.id,
            routeKey,
            target: pulumi.interpolate`integrations/${integration.id}`,
            authorizationType: args.authorization?.(routeKey) ?? "NONE",
          },
          { parent: this },
        ),
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: args.target.functionName,
        qualifier: args.target.qualifier,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
      },
      { parent: this },
    );

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: apiStage,
        autoDeploy: true,
        accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
        defaultRouteSettings: {
          throttlingRateLimit: args.rateLimit,
          throttlingBurstLimit: args.burstLimit,
        },
      },
      { parent: this, dependsOn: routes },
    );

    this.apiId = api.id;
    this.url = stage.invokeUrl;
    this.registerOutputs({ apiId: this.apiId, url: this.url });
  }
}

/** A resource name for a route key: "GET /session/{id}" -> "get-session-id". */
export function routeResourceName(routeKey: string): string {
  return routeKey
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
