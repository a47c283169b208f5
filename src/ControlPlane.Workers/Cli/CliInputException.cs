namespace ControlPlane.Workers.Cli;

/// <summary>A command's arguments or input files cannot work as given; the message is the one-line reason shown to the user.</summary>
internal sealed class CliInputException(string message) : Exception(message);
