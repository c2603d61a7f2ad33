//! Great-circle distances for sessions in person.

/// The mean Earth radius used for distances, in kilometres (the IUGG mean
/// radius rounded, as the issue fixes it).
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// A point in WGS 84 degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Location {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

/// The great-circle distance between `a` and `b` in kilometres, by the
/// haversine formula on a sphere of radius [`EARTH_RADIUS_KM`] (Sinnott,
/// "Virtues of the Haversine", *Sky and Telescope* 68(2), 1984).
pub fn haversine_km(a: Location, b: Location) -> f64 {
    let (phi1, phi2) = (a.lat.to_radians(), b.lat.to_radians());
    let dphi = (b.lat - a.lat).to_radians();
    let dlambda = (b.lon - a.lon).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}
