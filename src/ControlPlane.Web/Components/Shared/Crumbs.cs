using MudBlazor;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Breadcrumb trails that start at the overview and end, unlinked, at the page itself.</summary>
public static class Crumbs
{
    public static List<BreadcrumbItem> Of(params (string Text, string? Href)[] trail) =>
        [new("Overview", "/"), .. trail.Select((t, i) => new BreadcrumbItem(t.Text, i == trail.Length - 1 ? null : t.Href, disabled: i == trail.Length - 1))];
}
