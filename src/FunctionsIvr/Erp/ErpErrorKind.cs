namespace FunctionsIvr.Erp;

/// <summary>Why an ERP call failed, in the terms a call flow decides on.</summary>
public enum ErpErrorKind
{
    /// <summary>No answer within the call's timeout or the caller's deadline. The ERP may still have done the work.</summary>
    Timeout,

    /// <summary>The ERP could not be reached or answered 5xx/408/429 (after the allowed retries), or answered garbage.</summary>
    Unavailable,

    /// <summary>Recent calls failed so often that calls are refused without trying; nothing was sent.</summary>
    CircuitOpen,

    /// <summary>The addressed resource does not exist (404).</summary>
    NotFound,

    /// <summary>The ERP understood and said no (400, 409, 410, 422...): see <see cref="ErpException.Problem"/>.</summary>
    Rejected,

    /// <summary>Our credentials were refused (401, 403) or no token could be obtained: a configuration problem.</summary>
    Unauthorized,
}
