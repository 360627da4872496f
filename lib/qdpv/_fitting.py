"""Least-squares helpers shared by the fits of :mod:`qdpv.carriers` and :mod:`qdpv.stability`.

:func:`covariance_from_jacobian` turns the Jacobian of a weighted least-squares or maximum-likelihood fit into
the covariance of its parameters, with a guard for ill-conditioned problems. It is public as
``qdpv.stability.covariance_from_jacobian``; both fitting modules import it from here so that neither
depends on the other.
"""

from __future__ import annotations

import numpy as np

__all__ = ["covariance_from_jacobian"]


def covariance_from_jacobian(
    jacobian: np.ndarray, residuals: np.ndarray | None = None, *, errors_known: bool = True
) -> np.ndarray:
    r"""Parameter covariance of a (weighted) least-squares or maximum-likelihood fit.

    .. math:: C = s^2\,(J^\mathsf{T} J)^{-1}, \qquad
              s^2 = \begin{cases} 1 & \text{errors known (residuals already divided by } \sigma)\\
                                  \sum r_i^2/(n - p) & \text{otherwise} \end{cases}

    For a Poisson likelihood pass :math:`J_{ik} = (\partial\mu_i/\partial\theta_k)/\sqrt{\mu_i}`: then
    :math:`J^\mathsf{T}J` is the Fisher information.

    Parameters
    ----------
    jacobian : numpy.ndarray
        :math:`J`, shape (n, p), of the weighted residuals with respect to the parameters.
    residuals : numpy.ndarray, optional
        Weighted residuals, needed when ``errors_known`` is False.
    errors_known : bool
        True if the residuals were divided by known standard errors.

    Returns
    -------
    numpy.ndarray
        Covariance, shape (p, p); all nan when it is not determined (singular :math:`J^\mathsf{T}J`, or
        unknown errors with :math:`n \le p`, i.e. no scatter to estimate them from).

    References
    ----------
    .. [1] P. R. Bevington, D. K. Robinson, *Data Reduction and Error Analysis for the Physical Sciences*,
       3rd ed., McGraw-Hill (2003), ch. 8.
    """
    j = np.atleast_2d(np.asarray(jacobian, dtype=float))
    n, p = j.shape
    undetermined = np.full((p, p), np.nan)
    if not errors_known:
        if n <= p:
            return undetermined
        s2 = float(np.sum(np.asarray(residuals, dtype=float) ** 2)) / (n - p)
    else:
        s2 = 1.0
    info = j.T @ j
    if p == 0:
        return info
    scale = np.sqrt(np.diag(info))  # parameters differ by orders of magnitude: judge conditioning scaled
    if not np.all(scale > 0):
        return undetermined
    scaled = info / np.outer(scale, scale)
    if np.linalg.cond(scaled) > 1e12:
        return undetermined
    return s2 * np.linalg.inv(scaled) / np.outer(scale, scale)
