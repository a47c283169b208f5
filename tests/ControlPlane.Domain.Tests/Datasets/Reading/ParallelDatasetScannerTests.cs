namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>
/// Every scanner test again, with CSV rows tallied in parallel whatever the file's size. Progress then follows the
/// parsing, which runs a few megabytes ahead of the rows counted: in a small file the first report can already be 1.
/// </summary>
public sealed class ParallelDatasetScannerTests : DatasetScannerTests
{
    protected override bool Parallel => true;
}
