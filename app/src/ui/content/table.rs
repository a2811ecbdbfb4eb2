//! A table with sortable headers.

use super::pagination::page_href;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortDirection {
    #[default]
    Ascending,
    Descending,
}

impl SortDirection {
    /// The `aria-sort` value, and the `order` in the address.
    pub fn as_str(self) -> &'static str {
        match self {
            SortDirection::Ascending => "ascending",
            SortDirection::Descending => "descending",
        }
    }
}

/// Which column a list is sorted by, and which way: `?sort=name&order=descending` in the
/// address, so a sorted list is bookmarkable and sorting works without JavaScript.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    pub column: String,
    pub direction: SortDirection,
}

impl Sort {
    /// The sort in `query`, if it names one of `columns`; otherwise none.
    pub fn from_query(query: &[(String, String)], columns: &[Column]) -> Option<Sort> {
        let column = crate::ui::pair(query, "sort");
        columns.iter().find(|c| c.sortable && c.key == column)?;
        let direction = if crate::ui::pair(query, "order") == "descending" {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        };
        Some(Sort { column, direction })
    }
}

/// A column of a [`SortableTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: String,
    pub label: String,
    pub sortable: bool,
}

impl Column {
    pub fn sortable(key: impl Into<String>, label: impl Into<String>) -> Self {
        Column {
            key: key.into(),
            label: label.into(),
            sortable: true,
        }
    }

    pub fn plain(key: impl Into<String>, label: impl Into<String>) -> Self {
        Column {
            key: key.into(),
            label: label.into(),
            sortable: false,
        }
    }
}

/// The address that sorts by `column`: ascending, or descending if it is already sorted
/// ascending by that column. The rest of the query is kept, except the page: a new order starts
/// at the first page.
pub fn sort_href(
    path: &str,
    query: &[(String, String)],
    column: &str,
    current: Option<&Sort>,
) -> String {
    let direction = match current {
        Some(s) if s.column == column && s.direction == SortDirection::Ascending => {
            SortDirection::Descending
        }
        _ => SortDirection::Ascending,
    };
    let mut q: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| k != "sort" && k != "order" && k != "page")
        .cloned()
        .collect();
    q.push(("sort".into(), column.into()));
    q.push(("order".into(), direction.as_str().into()));
    page_href(path, &q, 1)
}

/// A table whose sortable column headers are links that sort the list on the server (so they
/// work without JavaScript), each with `aria-sort` saying how the list is sorted now
/// ("ascending", "descending", or "none" for a sortable column not in use). The rows are the
/// children, `<tr>`s of `<td>`s.
///
/// ```ignore
/// let columns = vec![Column::sortable("name", "Name"), Column::plain("council", "Council")];
/// let sort = Sort::from_query(&query, &columns);
/// view! {
///     <SortableTable caption="Carers" path="/staff/carers" query=query columns=columns sort=sort>
///         {rows.into_iter().map(|r| view! { <tr><td>{r.name}</td><td>{r.council}</td></tr> })
///             .collect_view()}
///     </SortableTable>
/// }
/// ```
#[component]
pub fn SortableTable(
    #[prop(into)] caption: String,
    /// The list's own address, for the header links.
    #[prop(into)]
    path: String,
    /// The list's query now (filters), kept by the header links.
    #[prop(optional)]
    query: Vec<(String, String)>,
    columns: Vec<Column>,
    #[prop(default = None)] sort: Option<Sort>,
    #[prop(optional, into)] test_id: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=test_id>
                <caption class="table__caption">{caption}</caption>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .map(|c| {
                                if !c.sortable {
                                    return view! { <th scope="col">{c.label}</th> }.into_any();
                                }
                                let aria_sort = match &sort {
                                    Some(s) if s.column == c.key => s.direction.as_str(),
                                    _ => "none",
                                };
                                let href = sort_href(&path, &query, &c.key, sort.as_ref());
                                view! {
                                    <th scope="col" aria-sort=aria_sort>
                                        <a class="table__sort-link" href=href>
                                            {c.label}
                                        </a>
                                    </th>
                                }
                                    .into_any()
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_header_sorts_ascending_then_descending_and_keeps_the_filters() {
        let query = q(&[("status", "new"), ("page", "3")]);
        let by_name = Sort {
            column: "name".into(),
            direction: SortDirection::Ascending,
        };
        assert_eq!(
            sort_href("/l", &query, "name", None),
            "/l?status=new&sort=name&order=ascending"
        );
        assert_eq!(
            sort_href("/l", &query, "name", Some(&by_name)),
            "/l?status=new&sort=name&order=descending"
        );
        assert_eq!(
            sort_href("/l", &query, "date", Some(&by_name)),
            "/l?status=new&sort=date&order=ascending"
        );
    }

    #[test]
    fn only_a_sortable_column_is_read_from_the_query() {
        let columns = vec![
            Column::sortable("name", "Name"),
            Column::plain("note", "Note"),
        ];
        assert_eq!(
            Sort::from_query(&q(&[("sort", "name"), ("order", "descending")]), &columns),
            Some(Sort {
                column: "name".into(),
                direction: SortDirection::Descending
            })
        );
        assert_eq!(Sort::from_query(&q(&[("sort", "note")]), &columns), None);
        assert_eq!(Sort::from_query(&q(&[]), &columns), None);
    }
}
