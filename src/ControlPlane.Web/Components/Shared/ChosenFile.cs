using Microsoft.AspNetCore.Components.Forms;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// The file an upload's picker chose, and why it cannot be sent. A picker reopened and cancelled clears the choice
/// (a change with no file): that is no file, not an error (<see cref="InputFileChangeEventArgs.File"/> would throw).
/// </summary>
public static class ChosenFile
{
    public static (IBrowserFile? File, string? Error) Of(InputFileChangeEventArgs change, long maxBytes)
    {
        if (change.FileCount == 0)
            return (null, null);
        var file = change.File;
        return (file, file.Size > maxBytes ? $"{file.Name} is larger than the {Bytes.Format(maxBytes)} limit." : null);
    }
}
