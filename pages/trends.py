import streamlit as st

st.title("trends")
st.info("Đang xây dựng")
