namespace ControlPlane.Web;

/// <summary>
/// The job dashboard's statistics answer reads a posted form; anything else made it throw (a 500). Such requests get a
/// 405 or 400 here, before the dashboard sees them.
/// </summary>
internal static class JobDashboardGuard
{
    public static IApplicationBuilder UseJobDashboardGuard(this IApplicationBuilder app, string dashboardPath) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.Equals($"{dashboardPath}/stats", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }
            if (!HttpMethods.IsPost(context.Request.Method))
                await ProblemResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed.", "The statistics are read with a form POST.");
            else if (!context.Request.HasFormContentType)
                await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "The request could not be read.", "Send the metrics as a form.");
            else
                await next(context);
        });
}
