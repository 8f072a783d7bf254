namespace GrowthOs.ApiGateway.Security;

/// <summary>How the gateway's own refusals are written: the status, and a problem body with its title and detail.</summary>
public static class GatewayProblems
{
    public static Task WriteProblem(this HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Title = title, Detail = detail } }).AsTask();
    }
}
