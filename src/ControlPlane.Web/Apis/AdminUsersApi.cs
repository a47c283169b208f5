using MaxLengthAttribute = System.ComponentModel.DataAnnotations.MaxLengthAttribute;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record CreateUserRequest([property: MaxLength(IdentityRules.MaxUserNameLength)] string UserName, [property: MaxLength(256)] string Email, [property: MaxLength(256)] string Password, IReadOnlyList<string>? Roles);

public sealed record SetRolesRequest(IReadOnlyList<string> Roles);

public static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);
        api.MapGet("/", ListUsersAsync).WithName("ListUsers").WithSummary("Users, paged and filtered on the server.");
        api.MapGet("/{id}", GetUserAsync).WithName("GetUser").WithSummary("One user.");
        api.MapPost("/", CreateUserAsync).WithName("CreateUser").WithSummary("Create a user with roles.");
        api.MapPut("/{id}/roles", SetRolesAsync).WithName("SetUserRoles").WithSummary("Replace a user's roles.");
        api.MapPost("/{id}/disable", DisableAsync).WithName("DisableUser").WithSummary("Disable a user: sign-in and tokens stop working.");
        api.MapPost("/{id}/enable", EnableAsync).WithName("EnableUser").WithSummary("Enable a disabled user.");
        api.MapPost("/{id}/sign-out", SignOutEverywhereAsync).WithName("SignOutUserEverywhere")
            .WithSummary("End every browser session of a user (open pages lose the user within a minute); tokens are revoked separately.");
        return routes;
    }

    public static async Task<Ok<Page<UserSummary>>> ListUsersAsync(
        UserAdministration users, CancellationToken ct,
        int page = 0, int pageSize = 25, string? search = null, string? sortBy = null, bool descending = false) =>
        TypedResults.Ok(await users.ListAsync(new PageRequest(page, pageSize, search, sortBy, descending), ct));

    public static async Task<Ok<UserSummary>> GetUserAsync(string id, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetAsync(id, ct));

    public static async Task<Created<UserSummary>> CreateUserAsync(CreateUserRequest request, UserAdministration users, CancellationToken ct)
    {
        var created = await users.CreateAsync(new NewUser(request.UserName, request.Email, request.Password, request.Roles ?? []), ct);
        return TypedResults.Created($"/api/v1/admin/users/{created.Id}", created);
    }

    public static async Task<Ok<UserSummary>> SetRolesAsync(string id, SetRolesRequest request, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.SetRolesAsync(id, request.Roles ?? [], ct));

    public static async Task<Ok<UserSummary>> DisableAsync(string id, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.SetDisabledAsync(id, true, ct));

    public static async Task<Ok<UserSummary>> EnableAsync(string id, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.SetDisabledAsync(id, false, ct));

    public static async Task<Ok<UserSummary>> SignOutEverywhereAsync(string id, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.SignOutEverywhereAsync(id, ct));
}
