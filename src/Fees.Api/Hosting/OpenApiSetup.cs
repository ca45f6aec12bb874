using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Fees.Api.Hosting;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) describes every endpoint with the statuses it can answer: the typed
/// results give the successes, <see cref="ProducesProblems"/> the refusals an endpoint names, and every endpoint behind
/// a policy also answers 401 (no valid sign-in) and 403 (outside the role or scope).
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddFeesOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "PartyTTHC Fees";
                document.Info.Description = "Thu, nộp đảng phí: the party-fee payment and double-entry ledger service. "
                    + "Money is an integer number of đồng; periods are yyyy-MM in Vietnam time; errors are RFC 9457 problem details.";
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                bool anonymous = metadata.OfType<IAllowAnonymous>().Any();
                if (!anonymous && metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Chưa đăng nhập hoặc phiên đăng nhập không còn hiệu lực." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "Ngoài vai trò hoặc phạm vi quản lý của tài khoản." });
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>Declares the refusals (problem details) an endpoint can answer with, besides 401/403.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (int status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }
        return builder;
    }
}
