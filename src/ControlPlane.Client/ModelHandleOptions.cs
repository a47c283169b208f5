using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Client;

/// <summary>What a handle does with its challenger alias.</summary>
public enum ChallengerMode
{
    /// <summary>The challenger is not followed.</summary>
    None,
    /// <summary>Every request is also scored by the challenger, in the background; the champion's answer is returned.</summary>
    Shadow,
    /// <summary>A sticky fraction of request keys is answered by the challenger.</summary>
    Canary,
}

public sealed class ModelHandleOptions
{
    /// <summary>Where verified artifacts and the last resolved alias are kept (survives restarts; served from when the server is down).</summary>
    public required string CacheDirectory { get; set; }
    public ChallengerMode Mode { get; set; }
    public string ChallengerAlias { get; set; } = "challenger";
    /// <summary>The share of request keys a canary sends to the challenger, 0–1.</summary>
    public double CanaryFraction { get; set; }
    /// <summary>How long one long poll waits on the server (1–60 s).</summary>
    public TimeSpan WatchWait { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Session options per load (execution providers, threads); ONNX Runtime's defaults when null.</summary>
    public Func<SessionOptions>? SessionOptions { get; set; }
    /// <summary>Names of the feature columns of a single [N, F] input, for the logs; "{input}_{j}" when null.</summary>
    public IReadOnlyList<string>? FeatureNames { get; set; }
    /// <summary>Class names for the probabilities output's columns; "0", "1", … when null.</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }
    public bool LogPredictions { get; set; } = true;
    /// <summary>Names this serving instance in the reports of versions it could not load; the machine name when null.</summary>
    public string? InstanceName { get; set; }
    /// <summary>Whether a version that fails to load is reported to the server (needs the ingest scope).</summary>
    public bool ReportLoadFailures { get; set; } = true;
    /// <summary>A logger the caller owns (not disposed by the handle); else the handle makes one over its client.</summary>
    public PredictionLogger? PredictionLogger { get; set; }
    public PredictionLoggerOptions? PredictionLoggerOptions { get; set; }
    public ILoggerFactory? LoggerFactory { get; set; }
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
