//! The server's errors, each with a stable machine code and an HTTP status.

use crate::workflow::IllegalMove;

/// What went wrong serving a request.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Not signed in (or the session ended).
    #[error("请先登录 / sign in first")]
    Unauthenticated,
    /// Signed in but not allowed; also answered for things outside the account's reach that exist.
    #[error("无权执行此操作 / not allowed")]
    Forbidden,
    /// Nothing by that name within reach.
    #[error("未找到 {0} / {0} not found")]
    NotFound(String),
    /// A field the request got wrong.
    #[error("`{field}`: {message}")]
    BadInput {
        /// The field (JSON path or form name).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The workflow refuses the move.
    #[error(transparent)]
    Illegal(#[from] IllegalMove),
    /// Taken already (a login, a 网站标识码, an idempotency key sent with other content).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts: wait.
    #[error("尝试过于频繁，请 {0} 秒后再试 / too many attempts, try again in {0} s")]
    Throttled(u64),
    /// The CSRF token is missing or wrong.
    #[error("表单已过期，请刷新页面后重试 / the form expired (CSRF token missing or wrong), reload the page")]
    Csrf,
    /// The request's Host or Origin is not this server's.
    #[error("请求来源不符 / request from another origin or host refused")]
    Origin,
    /// The request body is over the limit.
    #[error("内容过大（上限 {0} 字节）/ the request is too large (limit {0} bytes)")]
    TooLarge(usize),
    /// The database failed.
    #[error("数据库错误 / storage failed: {0}")]
    Storage(String),
}

impl ServerError {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ServerError::Unauthenticated => "unauthenticated",
            ServerError::Forbidden => "forbidden",
            ServerError::NotFound(_) => "not_found",
            ServerError::BadInput { .. } => "bad_input",
            ServerError::Illegal(_) => "illegal_move",
            ServerError::Conflict(_) => "conflict",
            ServerError::Throttled(_) => "throttled",
            ServerError::Csrf => "csrf",
            ServerError::Origin => "origin",
            ServerError::TooLarge(_) => "too_large",
            ServerError::Storage(_) => "storage",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ServerError::Unauthenticated => 401,
            ServerError::Forbidden | ServerError::Csrf | ServerError::Origin => 403,
            ServerError::NotFound(_) => 404,
            ServerError::BadInput { .. } => 400,
            ServerError::Illegal(_) | ServerError::Conflict(_) => 409,
            ServerError::Throttled(_) => 429,
            ServerError::TooLarge(_) => 413,
            ServerError::Storage(_) => 500,
        }
    }

    /// A bad field.
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> ServerError {
        ServerError::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> ServerError {
        ServerError::Storage(e.to_string())
    }
}

/// Results of the server's work.
pub type Result<T, E = ServerError> = std::result::Result<T, E>;
