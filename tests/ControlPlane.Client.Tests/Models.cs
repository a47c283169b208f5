using ControlPlane.TestModels;

namespace ControlPlane.Client.Tests;

/// <summary>Versions whose answers tell them apart: "left" always predicts class 0, "right" always class 1 (a bias of 20 beats any x·W here).</summary>
internal static class Models
{
    public const int Features = 3;
    private static readonly float[][] SmallWeights = [[0.1f, -0.1f], [0.2f, 0.1f], [-0.1f, 0.3f]];

    public static byte[] Left => HandBuiltOnnx.SoftmaxClassifier(SmallWeights, [20f, 0f]);
    public static byte[] Right => HandBuiltOnnx.SoftmaxClassifier(SmallWeights, [0f, 20f]);
    /// <summary>Takes 4 features, so a 3-feature request fails on it.</summary>
    public static byte[] Incompatible => HandBuiltOnnx.Identity(4);

    public static float[] Row(int i) => [i % 7 * 0.1f, -0.5f + i % 3, 0.25f];

    public static long Label(Prediction p) => p["label"].Longs[0];
}
