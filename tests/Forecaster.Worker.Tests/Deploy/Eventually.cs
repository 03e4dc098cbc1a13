namespace Forecaster.Worker.Tests.Deploy;

/// <summary>Polls an observable condition until it holds, failing with what was awaited after the timeout.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> holds, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var last = default(T);
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                if (holds(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException e)
            {
                lastError = e;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"timed out after {seconds} s waiting for {what}; last value: {last?.ToString() ?? "none"}{(lastError is null ? "" : $"; last error: {lastError.Message}")}");
        return last!;
    }
}
