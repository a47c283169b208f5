using Microsoft.Playwright;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>Collects console errors and uncaught exceptions of the pages a journey opens; a journey ends with none.</summary>
internal sealed class BrowserErrors
{
    private readonly List<string> _errors = [];

    public IPage Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => _errors.Add($"{page.Url}: {error}");
        return page;
    }

    public void AssertNone() => Assert.True(_errors.Count == 0, string.Join("\n", _errors));
}
